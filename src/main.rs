//! The `guantong` command: `serve` (default) runs the web server.

use std::process::ExitCode;
use std::sync::Arc;

/// mimalloc instead of glibc's allocator: a page allocates and frees many small strings, and
/// glibc's malloc/free was 12 % of a logged-in page in perf.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "\
usage:
  guantong [serve] [--bind ADDR] [--database PATH_OR_URL] [--demo]
      run the web server (default 127.0.0.1:8080, ./data/guantong.db);
      also read from GUANTONG_BIND and GUANTONG_DATABASE_URL
  guantong check [FILE|-] [--csv]
      decide eligibility for the profiles in FILE (standard input when absent or -):
      JSON in and out, or CSV in and out with --csv; exit 2 on bad input
  guantong demo --scale N [--database PATH_OR_URL] [--seed S]
      add N generated applications (every state, employers, rounds, evidence, audit rows)
      to the demo data, the same for the same N and seed; reuses a database that has them
  guantong help
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (command, rest) = match args.first().map(String::as_str) {
        Some("serve") => ("serve", &args[1..]),
        Some("check") => return check(&args[1..]),
        Some("demo") => return demo(&args[1..]),
        // Hidden: the benchmark's floor (bench/run), the TechEmpower Fortunes shape on our stack.
        Some("floor") => return floor(&args[1..]),
        Some("help" | "--help" | "-h") => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Some(first) if !first.starts_with('-') => {
            eprintln!("guantong: unknown command {first:?}\n{USAGE}");
            return ExitCode::from(2);
        }
        _ => ("serve", &args[..]),
    };
    debug_assert_eq!(command, "serve");
    serve(rest)
}

/// `guantong check`: see docs/checker.md.
fn check(args: &[String]) -> ExitCode {
    use std::io::Write;
    let mut csv = false;
    let mut file: Option<&str> = None;
    for arg in args {
        match arg.as_str() {
            "--csv" => csv = true,
            other if other.starts_with("--") => {
                eprintln!("guantong check: unknown option {other:?}");
                return ExitCode::from(2);
            }
            other if file.is_none() => file = Some(other),
            other => {
                eprintln!("guantong check: more than one input file ({other:?})");
                return ExitCode::from(2);
            }
        }
    }
    let input: Box<dyn std::io::BufRead> = match file {
        None | Some("-") => Box::new(std::io::stdin().lock()),
        Some(path) => match std::fs::File::open(path) {
            Ok(f) => Box::new(std::io::BufReader::with_capacity(1 << 16, f)),
            Err(e) => {
                eprintln!("input: cannot read {path}: {e}");
                return ExitCode::from(2);
            }
        },
    };
    let catalogue = match std::env::var("GUANTONG_DATABASE_URL")
        .ok()
        .filter(|u| !u.trim().is_empty())
    {
        None => guantong::policy::Catalogue::shipped(),
        Some(url) => {
            let loaded = guantong::store::connect(&url, 1)
                .and_then(|pool| Ok(pool.get()?))
                .and_then(|mut conn| Ok(guantong::service::catalogue::load(&mut conn)?));
            match loaded {
                Ok(c) => c,
                Err(e) => {
                    eprintln!(
                        "guantong check: cannot read the catalogue from GUANTONG_DATABASE_URL: {e}"
                    );
                    return ExitCode::FAILURE;
                }
            }
        }
    };
    // Verdicts go out as they are decided; a bad record stops the run there (exit 2), and what
    // was written before it stands: a script must treat the output of an exit-2 run as incomplete.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let result = if csv {
        guantong::checker::run_csv(input, &mut out, &catalogue)
    } else {
        guantong::checker::run_json(input, &mut out, &catalogue)
    };
    let _ = out.flush();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(guantong::checker::CheckError::Input(e)) => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
        Err(guantong::checker::CheckError::Output(e)) => {
            eprintln!("guantong check: cannot write the output: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Reads `--name value` pairs.
fn options(args: &[String], known: &[&str]) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) => (n.to_string(), Some(v.to_string())),
            None => (arg.clone(), None),
        };
        if !known.contains(&name.as_str()) {
            return Err(format!("unknown option {name:?}"));
        }
        let value = inline
            .or_else(|| it.next().cloned())
            .ok_or(format!("{name} needs a value"))?;
        out.push((name, value));
    }
    Ok(out)
}

/// `guantong demo --scale N`: generated data for the benchmark and for trying pages at size.
fn demo(args: &[String]) -> ExitCode {
    let mut config = match guantong::Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("guantong: {e}");
            return ExitCode::from(2);
        }
    };
    let (mut scale, mut seed) = (None, 312u64);
    let parsed = options(args, &["--scale", "--database", "--seed"]).and_then(|opts| {
        for (name, value) in opts {
            match name.as_str() {
                "--scale" => {
                    scale = Some(
                        value
                            .parse::<usize>()
                            .map_err(|_| "--scale needs a number")?,
                    )
                }
                "--seed" => seed = value.parse().map_err(|_| "--seed needs a number")?,
                _ => config.database_url = value,
            }
        }
        scale.ok_or_else(|| "--scale N is required".to_string())
    });
    let n = match parsed {
        Ok(n) => n,
        Err(e) => {
            eprintln!("guantong demo: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let started = std::time::Instant::now();
    let result = guantong::open_database(&config)
        .map_err(|e| e.to_string())
        .and_then(|pool| pool.get().map_err(|e| e.to_string()))
        .and_then(|mut conn| {
            let now = guantong::store::to_db_time(chrono::Utc::now());
            guantong::demo::scale::generate(&mut conn, n, seed, now)
        });
    match result {
        Ok(s) if s.reused => {
            println!(
                "{} already holds {} generated applications: reused",
                config.database_url, s.applications
            );
            ExitCode::SUCCESS
        }
        Ok(s) => {
            println!(
                "generated {} applications, {} employers, {} audit rows in {:.1} s",
                s.applications,
                s.employers,
                s.audit_rows,
                started.elapsed().as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("guantong demo: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `guantong floor [--bind ADDR] [--database PATH]`: see `guantong::floor`.
fn floor(args: &[String]) -> ExitCode {
    let mut config = match guantong::Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("guantong: {e}");
            return ExitCode::from(2);
        }
    };
    config.bind = "127.0.0.1:8081".into();
    match options(args, &["--bind", "--database"]) {
        Ok(opts) => {
            for (name, value) in opts {
                match name.as_str() {
                    "--bind" => config.bind = value,
                    _ => config.database_url = value,
                }
            }
        }
        Err(e) => {
            eprintln!("guantong floor: {e}");
            return ExitCode::from(2);
        }
    }
    match actix_web::rt::System::new().block_on(guantong::floor::run(config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("guantong floor: {e}");
            ExitCode::FAILURE
        }
    }
}

fn serve(args: &[String]) -> ExitCode {
    let mut config = match guantong::Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("guantong: {e}");
            return ExitCode::from(2);
        }
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (arg.as_str(), None),
        };
        let mut value = |what: &str| {
            inline
                .clone()
                .or_else(|| it.next().cloned())
                .ok_or(format!("{what} needs a value"))
        };
        let result = match name {
            "--bind" => value("--bind").map(|v| config.bind = v),
            "--database" => value("--database").map(|v| config.database_url = v),
            "--demo" => {
                config.demo = true;
                Ok(())
            }
            other => Err(format!("unknown option {other:?}")),
        };
        if let Err(e) = result {
            eprintln!("guantong: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    }
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    match actix_web::rt::System::new().block_on(run(config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("guantong: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(config: guantong::Config) -> Result<(), String> {
    let pool = guantong::open_database(&config).map_err(|e| e.to_string())?;
    let clock = Arc::new(guantong::clock::Clock::default());
    {
        let mut conn = pool.get().map_err(|e| e.to_string())?;
        let now = guantong::store::to_db_time(clock.now());
        if config.demo {
            let day = guantong::demo::start(&mut conn, &clock)?;
            println!("演示数据：系统日期为 {day}（节假日数据已录入的日期）");
            for line in guantong::demo::banner() {
                println!("{line}");
            }
        } else if let Some((login, password)) = guantong::demo::first_admin(&mut conn, now)? {
            println!("已创建管理员账户（密码只显示这一次，请妥善保存）：");
            println!("  登录名 {login}  密码 {password}");
        }
    }
    let listener = std::net::TcpListener::bind(&config.bind)
        .map_err(|e| format!("cannot listen on {}: {e}", config.bind))?;
    let shown = if guantong::store::is_postgres_url(&config.database_url) {
        "PostgreSQL"
    } else {
        config.database_url.as_str()
    };
    println!(
        "贯通 is running at http://{} (database: {shown})",
        listener.local_addr().map_err(|e| e.to_string())?
    );
    guantong::spawn_sweeper(pool.clone(), clock.clone());
    let server =
        guantong::build_server(listener, pool, config, clock).map_err(|e| e.to_string())?;
    server.await.map_err(|e| e.to_string())
}
