//! The `rocketmat` command: data on stdout, logs on stderr, a failure printed with its whole
//! cause chain and a non-zero exit.

use std::io::IsTerminal as _;
use std::process::ExitCode;

use clap::Parser as _;
use rocketmat::cli::Cli;
use tracing_subscriber::EnvFilter;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let filter = EnvFilter::try_from_env("ROCKETMAT_LOG")
        .unwrap_or_else(|_| EnvFilter::new("warn,rocketmat=info"));
    // Colour codes only on a terminal: log files and CI captures stay plain text.
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut stdout = std::io::stdout().lock();
    match runtime.block_on(rocketmat::commands::execute(cli, &mut stdout)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            for cause in e.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::FAILURE
        }
    }
}
