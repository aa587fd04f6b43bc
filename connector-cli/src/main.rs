fn main() -> std::process::ExitCode {
    connector_cli::run(std::env::args_os())
}
