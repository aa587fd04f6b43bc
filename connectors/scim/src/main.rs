fn main() -> std::process::ExitCode {
    connector_sdk::cli::run(scim_connector::integration())
}
