fn main() -> std::process::ExitCode {
    connector_sdk::cli::run(mock_connector::integration())
}
