fn main() -> std::process::ExitCode {
    connector_sdk::cli::run(ldap_connector::integration())
}
