//! The command line: `serve` (default), `migrate`, `openapi`, `user add`.

use std::io::Read;

use crate::auth::password;
use crate::change::Actor;
use crate::config::{Cli, Command, Settings, UserCommand};
use crate::db::Db;
use crate::domain::Role;
use crate::startup::Application;
use crate::users::store::{self, NewUser, MIN_PASSWORD_CHARS};

pub fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(&cli.settings),
        Command::Migrate => {
            Db::connect(&cli.settings.database_url, 1)?;
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
    }
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
    if !store::is_username(username) {
        anyhow::bail!("usernames are 3–64 of a–z, 0–9, '.', '_', '-', starting with a letter");
    }
    let password = match std::env::var("NDPR_USER_PASSWORD") {
        Ok(p) => p,
        Err(_) => {
            let mut buf = String::new();
            std::io::stdin().read_to_string(&mut buf)?;
            buf.trim_end_matches(['\r', '\n']).to_string()
        }
    };
    if password.chars().count() < MIN_PASSWORD_CHARS {
        anyhow::bail!("the password must be at least {MIN_PASSWORD_CHARS} characters");
    }
    let db = Db::connect(&settings.database_url, 1)?;
    let hash = password::hash(&password)?;
    db.write_blocking(|conn| {
        store::insert_user(
            conn,
            NewUser {
                username,
                password_hash: &hash,
                role,
            },
            &Actor::system(),
        )
    })
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    println!("user {username} created with role {}", role.as_str());
    Ok(())
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
