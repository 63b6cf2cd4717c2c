//! The command line: `serve` (default), `migrate`, `openapi`, `user add`.

use std::io::Read;

use crate::config::{Cli, Command, PositionsCommand, Settings, UserCommand, WebhooksCommand};
use crate::db::Db;
use crate::domain::Role;
use crate::ops::users::{self, NewUserRequest};
use crate::startup::{db_settings, Application};

pub fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(&cli.settings),
        Command::Migrate => {
            Db::open(db_settings(&cli.settings))?;
            println!(
                "migrations applied to {}",
                redact(&cli.settings.database_url)
            );
            Ok(())
        }
        Command::Openapi => {
            println!(
                "{}",
                serde_json::to_string_pretty(&crate::openapi::document())?
            );
            Ok(())
        }
        Command::Demo => crate::demo::run(&cli.settings),
        Command::User {
            command: UserCommand::Add { username, role },
        } => add_user(&cli.settings, &username, &role),
        Command::Positions { command } => positions(&cli.settings, command),
        Command::Import {
            kind,
            file,
            valid_rows,
        } => import(&cli.settings, &kind, &file, valid_rows),
        Command::Webhooks {
            command: WebhooksCommand::Run,
        } => run_webhooks(&cli.settings),
        Command::Backup { file } => {
            let started = std::time::Instant::now();
            let copy = crate::db::backup::backup(&cli.settings.database_url, &file)?;
            println!(
                "backup of {} written to {} in {:.2} s: {}",
                redact(&cli.settings.database_url),
                file.display(),
                started.elapsed().as_secs_f64(),
                describe_copy(&copy)
            );
            Ok(())
        }
        Command::Restore { file } => {
            let (copy, done) = crate::db::backup::restore(&cli.settings.database_url, &file)?;
            println!(
                "restored {} into {}: {}",
                file.display(),
                redact(&cli.settings.database_url),
                describe_copy(&copy)
            );
            if let Some(kept) = done.kept {
                println!("  the database it replaced is kept as {}", kept.display());
            }
            if done.events_not_in_backup > 0 {
                println!(
                    "  {} events of the replaced database came after the backup and are not in \
                     it; their numbers are not handed out again, so feed readers and webhook \
                     receivers go on without meeting a number twice",
                    done.events_not_in_backup
                );
            }
            println!("  start the service: it applies any migration the backup predates");
            Ok(())
        }
    }
}

fn describe_copy(copy: &crate::db::backup::CopyReport) -> String {
    format!(
        "{} bytes, {} tables, {} rows, schema {}, integrity ok",
        copy.bytes, copy.tables, copy.rows, copy.schema_version
    )
}

/// `import KIND FILE`: the rows of a CSV or JSON file, as the system actor, through the same
/// operation as the API.
fn import(
    settings: &Settings,
    kind: &str,
    file: &std::path::Path,
    valid_rows: bool,
) -> anyhow::Result<()> {
    use crate::ops::imports::{self, ImportKind, ImportMode};
    let kind = ImportKind::parse(kind).ok_or_else(|| {
        anyhow::anyhow!(
            "KIND must be customers, products, orders, price-quotes or fx-rates, got {kind}"
        )
    })?;
    let bytes =
        std::fs::read(file).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
    let is_csv = file
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let rows = if is_csv {
        let text = String::from_utf8(bytes)
            .map_err(|_| anyhow::anyhow!("{} is not UTF-8", file.display()))?;
        imports::rows_from_csv(kind, &text)
    } else {
        imports::rows_from_json(&bytes)
    }
    .map_err(crate::bootstrap::describe)?;
    let mode = if valid_rows {
        ImportMode::ValidRows
    } else {
        ImportMode::AllOrNothing
    };
    let db = Db::open(db_settings(settings))?;
    let actor = crate::ops::Actor::system();
    let started = std::time::Instant::now();
    let report = match db.write_blocking(move |c| imports::run(c, &actor, kind, mode, rows)) {
        Ok(r) => r,
        Err(crate::error::OpError::Validation(errors)) => {
            for e in &errors {
                eprintln!("  {}: {}", e.field, e.message);
            }
            anyhow::bail!(
                "nothing imported: {} problems (--valid-rows stores the good rows)",
                errors.len()
            )
        }
        Err(e) => return Err(crate::bootstrap::describe(e)),
    };
    println!(
        "{} rows in {:.2} s: {} created, {} updated, {} unchanged, {} rejected",
        report.rows,
        started.elapsed().as_secs_f64(),
        report.created,
        report.updated,
        report.unchanged,
        report.rejected
    );
    for e in &report.errors {
        println!("  row {}: {}: {}", e.row, e.field, e.message);
    }
    Ok(())
}

/// The webhook worker alone: the same lanes as inside `serve`, until Ctrl-C or SIGTERM.
fn run_webhooks(settings: &Settings) -> anyhow::Result<()> {
    let db = Db::open(db_settings(settings))?;
    let client = std::sync::Arc::new(crate::webhooks::WebhookClient::new(
        settings.webhook_policy(),
    ));
    let worker = settings.webhook_worker();
    println!(
        "ndpr-contracts delivering webhooks from {} ({} lanes)",
        redact(&settings.database_url),
        worker.lanes
    );
    actix_web::rt::System::new().block_on(async move {
        crate::webhooks::worker::spawn(&db, &client, &worker);
        let mut term = actix_web::rt::signal::unix::signal(
            actix_web::rt::signal::unix::SignalKind::terminate(),
        )?;
        tokio::select! {
            _ = actix_web::rt::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
        println!("stopped");
        Ok(())
    })
}

fn serve(settings: &Settings) -> anyhow::Result<()> {
    actix_web::rt::System::new().block_on(async {
        let app = Application::build(settings)?;
        let url = format!("http://{}", settings.listen.replace("0.0.0.0", "127.0.0.1"));
        println!(
            "ndpr-contracts serving on {url} (database: {})",
            redact(&settings.database_url)
        );
        println!("  API docs: {url}/docs/");
        if let Some(pw) = &app.generated_admin_password {
            println!("  First start: log in as user `admin` with password {pw}");
            println!("  (shown once; set NDPR_ADMIN_PASSWORD on a new database to choose it)");
            println!(
                "  curl -s -X POST {url}/api/v1/auth/token -H 'content-type: application/json' \
                 -d '{{\"username\":\"admin\",\"password\":\"{pw}\"}}'"
            );
        }
        app.run_until_stopped().await?;
        Ok(())
    })
}

fn add_user(settings: &Settings, username: &str, role: &str) -> anyhow::Result<()> {
    let role = Role::parse(role).ok_or_else(|| {
        anyhow::anyhow!("unknown role {role}: use admin, sales, planner, viewer or integration")
    })?;
    let password = match std::env::var("NDPR_USER_PASSWORD") {
        Ok(p) => p,
        Err(_) => {
            let mut buf = String::new();
            std::io::stdin().read_to_string(&mut buf)?;
            buf.trim_end_matches(['\r', '\n']).to_string()
        }
    };
    let db = Db::open(db_settings(settings))?;
    let request = NewUserRequest {
        username: username.to_string(),
        password,
        role,
    };
    db.write_blocking(|conn| users::add(conn, request))
        .map_err(|e| match e {
            crate::error::OpError::Validation(errors) => anyhow::anyhow!(
                "{}",
                errors
                    .iter()
                    .map(|e| format!("{}: {}", e.field, e.message))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            other => crate::bootstrap::describe(other),
        })?;
    println!("user {username} created with role {}", role.as_str());
    Ok(())
}

fn positions(settings: &Settings, command: PositionsCommand) -> anyhow::Result<()> {
    let db = Db::open(db_settings(settings))?;
    let actor = crate::ops::Actor::system();
    match command {
        PositionsCommand::Check => {
            let drift = db
                .read_blocking(|conn| crate::ops::positions::check(conn, &actor))
                .map_err(crate::bootstrap::describe)?;
            for d in &drift {
                println!(
                    "product {} {}: stored {:?}, expected {:?}",
                    d.product_id, d.period, d.stored, d.expected
                );
            }
            if drift.is_empty() {
                println!("every position matches its contracts, orders and plans");
                Ok(())
            } else {
                anyhow::bail!(
                    "{} positions differ; `ndpr-contracts positions rebuild` rewrites them",
                    drift.len()
                )
            }
        }
        PositionsCommand::Rebuild => {
            let n = db
                .write_blocking(|conn| crate::ops::positions::rebuild(conn, &actor))
                .map_err(crate::bootstrap::describe)?;
            println!("{n} positions rebuilt from contracts, orders and plans");
            Ok(())
        }
    }
}

/// The URL without its password, for printing.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}
