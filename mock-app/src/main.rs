//! `mock-app --users 100000 --port 8080`: the mock app as a server.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;

/// A mock SaaS app for the mock connector.
#[derive(Debug, Parser)]
#[command(version)]
struct Args {
    /// Number of generated users.
    #[arg(long, default_value_t = 1_000)]
    users: usize,
    /// Number of generated groups.
    #[arg(long, default_value_t = mock_app::Config::DEFAULT_GROUPS)]
    groups: usize,
    /// Port on 127.0.0.1 (0 for any free port).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Milliseconds of latency added to every answer.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// Answer every n-th request with 429 (0: never).
    #[arg(long, default_value_t = 0)]
    rate_limit_every: u64,
    /// Answer every n-th request with 503 (0: never).
    #[arg(long, default_value_t = 0)]
    error_every: u64,
    /// A real rate limit per credential: RPS[/BURST] (a token bucket), e.g. `20/10`.
    #[arg(long, value_name = "RPS[/BURST]")]
    rate_limit: Option<mock_app::RateLimitPolicy>,
    /// How the rate limit is announced: ietf, x-epoch, x-seconds or none (no headers).
    #[arg(long, default_value_t = mock_app::HeaderStyle::Ietf)]
    rate_limit_headers: mock_app::HeaderStyle,
    /// Serve data with a fault (repeatable): duplicate-ids, dangling-association, cursor-loop,
    /// oversized-page. Each makes one check of `connector check` fail.
    #[arg(long = "fault", value_name = "NAME", value_parser = fault)]
    faults: Vec<mock_app::Fault>,
}

/// A fault by name, listing the names when it is none of them.
fn fault(name: &str) -> Result<mock_app::Fault, mock_app::UnknownFault> {
    name.parse()
}

fn main() -> ExitCode {
    let args = Args::parse();
    let mut config = mock_app::Config::with_users(args.users).groups(args.groups);
    config.latency = Duration::from_millis(args.latency_ms);
    config.rate_limit_every = args.rate_limit_every;
    config.error_every = args.error_every;
    config.faults.extend(args.faults.iter().copied());
    config.rate_limit = args.rate_limit;
    config.rate_limit_headers = args.rate_limit_headers;
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async {
        let addr = SocketAddr::from(([127, 0, 0, 1], args.port));
        match mock_app::MockApp::start_on(config, addr).await {
            Ok(app) => {
                eprintln!(
                    "mock-app: {} users in {} groups at {} (basic foo/bar, bearer mock-token)",
                    args.users,
                    args.groups,
                    app.url()
                );
                if let Some(policy) = args.rate_limit {
                    eprintln!(
                        "mock-app: rate limit {}/s, burst {} per credential, {} headers",
                        policy.per_second, policy.burst, args.rate_limit_headers
                    );
                }
                for fault in &args.faults {
                    eprintln!("mock-app: fault {fault} is on");
                }
                app.wait().await;
                ExitCode::SUCCESS
            }
            Err(error) => {
                eprintln!("error: cannot listen on {addr}: {error}");
                ExitCode::FAILURE
            }
        }
    })
}
