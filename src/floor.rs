//! The benchmark's floor (`guantong floor`, used by bench/run): the TechEmpower Fortunes test on
//! our own stack — actix-web, askama, diesel on the same database file. Read the 12-row table,
//! add one row in memory, sort by message, render an escaped HTML table. Guantong's pages are
//! measured against it in the same run.

use actix_web::{web, App, HttpResponse, HttpServer};
use askama::Template;

use crate::store::{self, Pool};
use crate::Config;

#[derive(Template)]
#[template(
    source = "<!DOCTYPE html><html><head><title>Fortunes</title></head><body><table><tr><th>id</th><th>message</th></tr>{% for (id, message) in fortunes %}<tr><td>{{ id }}</td><td>{{ message }}</td></tr>{% endfor %}</table></body></html>",
    ext = "html"
)]
struct Fortunes {
    fortunes: Vec<(i32, String)>,
}

async fn fortunes(pool: web::Data<Pool>) -> HttpResponse {
    // A short read runs on the worker itself: WAL readers never wait on a lock.
    let rows = pool
        .get()
        .map_err(|e| e.to_string())
        .and_then(|mut c| store::floor::all(&mut c).map_err(|e| e.to_string()));
    match rows {
        Ok(mut rows) => {
            rows.push((0, "Additional fortune added at request time.".into()));
            rows.sort_by(|a, b| a.1.cmp(&b.1));
            match (Fortunes { fortunes: rows }).render() {
                Ok(html) => HttpResponse::Ok()
                    .content_type("text/html; charset=utf-8")
                    .body(html),
                Err(e) => HttpResponse::InternalServerError().body(e.to_string()),
            }
        }
        Err(e) => HttpResponse::InternalServerError().body(e),
    }
}

/// Serves `/fortunes` on `config.bind` over `config.database_url`.
pub async fn run(config: Config) -> Result<(), String> {
    let pool = store::connect(&config.database_url, config.pool_size).map_err(|e| e.to_string())?;
    {
        let mut c = pool.get().map_err(|e| e.to_string())?;
        store::floor::ensure(&mut c).map_err(|e| e.to_string())?;
    }
    let data = web::Data::new(pool);
    let mut server = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .route("/fortunes", web::get().to(fortunes))
    })
    .bind(&config.bind)
    .map_err(|e| format!("cannot listen on {}: {e}", config.bind))?;
    if config.workers > 0 {
        server = server.workers(config.workers);
    }
    println!("floor at http://{}/fortunes", config.bind);
    server.run().await.map_err(|e| e.to_string())
}
