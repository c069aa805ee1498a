//! Settings: command-line flags over GUANTONG_* environment variables over defaults that just work.

use std::env;

#[derive(Debug, Clone)]
pub struct Config {
    /// GUANTONG_BIND, `--bind`: address to listen on.
    pub bind: String,
    /// GUANTONG_DATABASE_URL, `--database`: an SQLite path or a postgres:// URL.
    pub database_url: String,
    /// `--demo`: load the demo accounts and data.
    pub demo: bool,
    /// GUANTONG_SESSION_IDLE_MINUTES: a session idle this long ends.
    pub session_idle_minutes: i64,
    /// GUANTONG_SESSION_MAX_HOURS: a session ends this long after login, however active.
    pub session_max_hours: i64,
    /// GUANTONG_TRUSTED_PROXIES: peer addresses whose X-Forwarded-For names the client.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// GUANTONG_LOCKOUT_FAILURES: wrong passwords in a row that lock an account.
    pub lockout_failures: i32,
    /// GUANTONG_CLIENT_FAILURES: failed logins from one address (over all accounts) that pause
    /// that address.
    pub client_failures: i32,
    /// GUANTONG_LOCKOUT_MINUTES: how long a locked account stays locked.
    pub lockout_minutes: i64,
    /// GUANTONG_SECURE_COOKIES: mark cookies Secure (set it behind HTTPS).
    pub secure_cookies: bool,
    /// GUANTONG_POOL_SIZE: database connections per instance.
    pub pool_size: u32,
    /// GUANTONG_WORKERS: HTTP worker threads (0 = one per core).
    pub workers: usize,
    /// GUANTONG_MAX_UPLOAD_MB: largest evidence file.
    pub max_upload_mb: u32,
    /// GUANTONG_MAX_APPLICATION_MB: all evidence of one application together.
    pub max_application_mb: u32,
    /// GUANTONG_MAX_FILES_PER_APPLICANT: evidence files one applicant may keep over all drafts.
    pub max_files_per_applicant: u32,
    /// GUANTONG_ACCESS_LOG: write a line per request to standard error (off by default: a
    /// reverse proxy usually keeps the access log, and a line per request cost a page a sixth of
    /// its time; what people did is in the audit log either way).
    pub access_log: bool,
    /// GUANTONG_CLAIMS_PER_ADDRESS: employer registrations waiting for an admin from one
    /// address.
    pub claims_per_address: i64,
    /// GUANTONG_CLAIMS_PENDING_MB: the licence scans of all waiting registrations together.
    pub claims_pending_mb: i64,
    /// GUANTONG_UPLOADS_IN_FLIGHT_MB: the uploads one instance holds in memory at once, over
    /// all requests; a form read beyond it is refused as busy.
    pub uploads_in_flight_mb: u32,
}

pub const DEFAULT_BIND: &str = "127.0.0.1:8080";
pub const DEFAULT_DATABASE: &str = "./data/guantong.db";

#[derive(Debug, thiserror::Error)]
#[error("{name}: {message}")]
pub struct ConfigError {
    pub name: String,
    pub message: String,
}

fn var<T: std::str::FromStr>(name: &str, default: T) -> Result<T, ConfigError> {
    match env::var(name) {
        Ok(v) if !v.trim().is_empty() => v.trim().parse().map_err(|_| ConfigError {
            name: name.into(),
            message: format!("cannot read {v:?}"),
        }),
        _ => Ok(default),
    }
}

fn flag(name: &str) -> Result<bool, ConfigError> {
    match env::var(name)
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
        .as_str()
    {
        "" | "0" | "false" | "no" | "off" => Ok(false),
        "1" | "true" | "yes" | "on" => Ok(true),
        other => Err(ConfigError {
            name: name.into(),
            message: format!("expected true or false, got {other:?}"),
        }),
    }
}

/// GUANTONG_TRUSTED_PROXIES: comma-separated IP addresses.
fn proxies() -> Result<Vec<std::net::IpAddr>, ConfigError> {
    env::var("GUANTONG_TRUSTED_PROXIES")
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse().map_err(|_| ConfigError {
                name: "GUANTONG_TRUSTED_PROXIES".into(),
                message: format!("{s:?} is not an IP address"),
            })
        })
        .collect()
}

impl Config {
    /// Reads the environment; flags are applied on top by the command line.
    pub fn from_env() -> Result<Config, ConfigError> {
        let config = Config {
            bind: var("GUANTONG_BIND", DEFAULT_BIND.to_string())?,
            database_url: var("GUANTONG_DATABASE_URL", DEFAULT_DATABASE.to_string())?,
            demo: false,
            session_idle_minutes: var("GUANTONG_SESSION_IDLE_MINUTES", 30)?,
            session_max_hours: var("GUANTONG_SESSION_MAX_HOURS", 12)?,
            trusted_proxies: proxies()?,
            lockout_failures: var("GUANTONG_LOCKOUT_FAILURES", 5)?,
            lockout_minutes: var("GUANTONG_LOCKOUT_MINUTES", 15)?,
            client_failures: var("GUANTONG_CLIENT_FAILURES", 20)?,
            secure_cookies: flag("GUANTONG_SECURE_COOKIES")?,
            access_log: flag("GUANTONG_ACCESS_LOG")?,
            pool_size: var("GUANTONG_POOL_SIZE", 8)?,
            workers: var("GUANTONG_WORKERS", 0)?,
            max_upload_mb: var("GUANTONG_MAX_UPLOAD_MB", 10)?,
            max_application_mb: var("GUANTONG_MAX_APPLICATION_MB", 100)?,
            max_files_per_applicant: var("GUANTONG_MAX_FILES_PER_APPLICANT", 200)?,
            claims_per_address: var("GUANTONG_CLAIMS_PER_ADDRESS", 3)?,
            claims_pending_mb: var("GUANTONG_CLAIMS_PENDING_MB", 1024)?,
            uploads_in_flight_mb: var("GUANTONG_UPLOADS_IN_FLIGHT_MB", 200)?,
        };
        config.validate()?;
        Ok(config)
    }

    fn validate(&self) -> Result<(), ConfigError> {
        let positive = |name: &str, v: i64| {
            if v > 0 {
                Ok(())
            } else {
                Err(ConfigError {
                    name: name.into(),
                    message: "must be at least 1".into(),
                })
            }
        };
        positive("GUANTONG_SESSION_IDLE_MINUTES", self.session_idle_minutes)?;
        positive("GUANTONG_SESSION_MAX_HOURS", self.session_max_hours)?;
        positive("GUANTONG_LOCKOUT_FAILURES", self.lockout_failures.into())?;
        positive("GUANTONG_LOCKOUT_MINUTES", self.lockout_minutes)?;
        positive("GUANTONG_CLIENT_FAILURES", self.client_failures.into())?;
        positive("GUANTONG_POOL_SIZE", self.pool_size.into())?;
        positive("GUANTONG_MAX_UPLOAD_MB", self.max_upload_mb.into())?;
        positive("GUANTONG_CLAIMS_PER_ADDRESS", self.claims_per_address)?;
        positive(
            "GUANTONG_UPLOADS_IN_FLIGHT_MB",
            self.uploads_in_flight_mb.into(),
        )?;
        positive("GUANTONG_CLAIMS_PENDING_MB", self.claims_pending_mb)?;
        positive(
            "GUANTONG_MAX_APPLICATION_MB",
            self.max_application_mb.into(),
        )
    }

    pub fn max_upload_bytes(&self) -> usize {
        self.max_upload_mb as usize * 1024 * 1024
    }

    pub fn max_application_bytes(&self) -> i64 {
        i64::from(self.max_application_mb) * 1024 * 1024
    }

    pub fn uploads_in_flight_bytes(&self) -> usize {
        self.uploads_in_flight_mb as usize * 1024 * 1024
    }

    pub fn claim_limits(&self) -> crate::service::employers::ClaimLimits {
        crate::service::employers::ClaimLimits {
            per_address: self.claims_per_address,
            pending_bytes: self.claims_pending_mb.saturating_mul(1024 * 1024),
        }
    }

    pub fn evidence_limits(&self) -> crate::service::draft::EvidenceLimits {
        crate::service::draft::EvidenceLimits {
            per_application_bytes: self.max_application_bytes(),
            per_applicant_files: i64::from(self.max_files_per_applicant),
        }
    }

    /// Defaults for a given database, ignoring the environment (tests use it).
    pub fn for_database(database_url: &str) -> Config {
        Config {
            bind: "127.0.0.1:0".into(),
            database_url: database_url.into(),
            demo: false,
            session_idle_minutes: 30,
            session_max_hours: 12,
            trusted_proxies: Vec::new(),
            lockout_failures: 5,
            lockout_minutes: 15,
            client_failures: 20,
            secure_cookies: false,
            access_log: false,
            pool_size: 4,
            workers: 2,
            max_upload_mb: 10,
            max_application_mb: 100,
            max_files_per_applicant: 200,
            claims_per_address: 3,
            claims_pending_mb: 1024,
            uploads_in_flight_mb: 200,
        }
    }
}
