use clap::Parser;
use ndpr_contracts::config::Cli;

fn main() -> std::process::ExitCode {
    ndpr_contracts::memory::tune_allocator();
    let cli = Cli::parse();
    ndpr_contracts::telemetry::init(&cli.settings.log_level, cli.settings.log_format);
    match ndpr_contracts::cli::run(cli) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ndpr-contracts: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
