fn main() -> std::process::ExitCode {
    connector_sdk::cli::run(demo_connector::integration())
}
