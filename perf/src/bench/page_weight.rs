//! `groundwork-perf bench page-weight`: the bytes a new volunteer's phone downloads on its first
//! visit, with an empty cache — the sign-in page, the home page with their lists, a walk
//! list and a door, each with every stylesheet, script and WebAssembly file it loads (once)
//! — compressed as the server sends them. Run it on a release build's site (`./dev
//! release`), whose files are the ones that count.

use app::state::{AppState, Settings};
use app::store::Store;
use axum::body::Body;
use axum::http::{header, Request};
use groundwork::demo::{self, DemoOptions};
use leptos::prelude::LeptosOptions;
use tower::ServiceExt;

const PASSWORD: &str = "page-weight-bench";
const VOLUNTEER: &str = "volunteer@demo.groundwork.example";
const TARGET_KB: f64 = 350.0;

/// Same-origin files a page loads: `<link href>` and `<script src>` (not `<a href>`).
pub fn assets_of(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for tag in ["<link ", "<script "] {
        for part in html.split(tag).skip(1) {
            let head = &part[..part.find('>').unwrap_or(part.len())];
            for attr in ["href=\"", "src=\""] {
                if let Some(rest) = head.split(attr).nth(1) {
                    let url = &rest[..rest.find('"').unwrap_or(rest.len())];
                    if url.starts_with('/') && !url.starts_with("//") && !out.iter().any(|u| u == url) {
                        out.push(url.to_string());
                    }
                }
            }
        }
    }
    // The wasm is fetched by the hydration script (also preloaded, so usually listed).
    for part in html.split('\'').chain(html.split('"')) {
        if part.starts_with("/pkg/") && part.ends_with(".wasm") && !out.iter().any(|u| u == part) {
            out.push(part.to_string());
        }
    }
    out
}

async fn get(
    app: &axum::Router,
    path: &str,
    cookie: &str,
    gzip: bool,
) -> Result<(u16, Vec<u8>, String), String> {
    let mut req = Request::get(path).header(header::ACCEPT, "text/html,*/*").header(header::COOKIE, cookie);
    if gzip {
        req = req.header(header::ACCEPT_ENCODING, "gzip");
    }
    let response = app
        .clone()
        .oneshot(req.body(Body::empty()).map_err(|e| e.to_string())?)
        .await
        .map_err(|e| e.to_string())?;
    let status = response.status().as_u16();
    let encoding = response
        .headers()
        .get(header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.map_err(|e| e.to_string())?;
    Ok((status, body.to_vec(), encoding))
}

pub async fn run_and_print(site_root: &str) -> Result<(), String> {
    if !std::path::Path::new(site_root).join("pkg").exists() {
        return Err(format!("no built site at {site_root} (run `cargo leptos build --release` first)"));
    }
    let dir = std::env::temp_dir().join(format!("groundwork-weight-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let result = measure(site_root, &dir).await;
    let _ = std::fs::remove_dir_all(&dir);
    result
}

async fn measure(site_root: &str, dir: &std::path::Path) -> Result<(), String> {
    let store = Store::connect(&format!("sqlite:{}", dir.join("weight.db").display()))
        .await
        .map_err(|e| e.to_string())?;
    store.migrate().await.map_err(|e| e.to_string())?;
    demo::load(&store, &DemoOptions { electors: 3_000, ..DemoOptions::default() }, Some(PASSWORD))
        .await
        .map_err(|e| e.to_string())?;
    let Store::Sqlite(pool) = &store else { return Err("SQLite only".into()) };
    let (list,): (i64,) = sqlx::query_as(
        "SELECT wl.id FROM walk_lists wl JOIN walk_list_assignments a ON a.walk_list_id = wl.id
           JOIN volunteers v ON v.id = a.volunteer_id JOIN users u ON u.id = v.user_id
          WHERE u.email = $1 AND wl.status = 'active' ORDER BY wl.id LIMIT 1",
    )
    .bind(VOLUNTEER)
    .fetch_one(pool)
    .await
    .map_err(|e| e.to_string())?;
    let leptos_options = LeptosOptions::builder()
        .output_name(groundwork::OUTPUT_NAME)
        .site_root(site_root)
        .site_pkg_dir("pkg")
        .build();
    let app = groundwork::router(AppState {
        store: store.clone(),
        settings: Settings::default(),
        leptos_options,
        knock_up: Default::default(),
    });

    // The path a new volunteer's phone takes, each file fetched once (an empty cache).
    let mut seen = std::collections::HashSet::new();
    let mut rows = Vec::new();
    visit(&app, "/login", "", &mut seen, &mut rows).await?;
    let login = Request::post("/api/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html")
        .header(header::ACCEPT_ENCODING, "gzip")
        .body(Body::from(format!("email={}&password={PASSWORD}", VOLUNTEER.replace('@', "%40"))))
        .map_err(|e| e.to_string())?;
    let response = app.clone().oneshot(login).await.map_err(|e| e.to_string())?;
    let status = response.status().as_u16();
    let cookie = response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .collect::<Vec<_>>()
        .join("; ");
    if cookie.is_empty() {
        return Err(format!("sign-in failed ({status})"));
    }
    let answer = axum::body::to_bytes(response.into_body(), usize::MAX).await.map_err(|e| e.to_string())?;
    rows.push(("POST /api/login".to_string(), (status, answer.to_vec(), String::new())));
    visit(&app, "/", &cookie, &mut seen, &mut rows).await?;
    let page = format!("/walk/{list}");
    let html = visit(&app, &page, &cookie, &mut seen, &mut rows).await?;
    let doors: Vec<String> = html
        .split(&format!("href=\"/walk/{list}/door/"))
        .skip(1)
        .filter_map(|r| r.split('"').next().map(|h| format!("/walk/{list}/door/{h}")))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let first_door = doors.first().ok_or("the walk list has no doors")?;
    visit(&app, first_door, &cookie, &mut seen, &mut rows).await?;
    println!(
        "A new volunteer's first visit (sign-in, home, a walk list of {} doors, a door), empty cache, as sent with Accept-Encoding: gzip:",
        doors.len()
    );
    let mut total = 0usize;
    for (path, (status, body, encoding)) in &rows {
        total += body.len();
        let enc = if encoding.is_empty() { "identity" } else { encoding.as_str() };
        println!("  {:>8.1} KB  {status} {enc:<8} {path}", body.len() as f64 / 1024.0);
    }
    let kb = total as f64 / 1024.0;
    let wasm = rows.iter().any(|(path, _)| path.ends_with(".wasm"));
    println!(
        "Total: {kb:.1} KB ({} WebAssembly)  [target ≤ {TARGET_KB:.0} KB] {}",
        if wasm { "with" } else { "no" },
        if kb <= TARGET_KB { "met" } else { "MISSED" }
    );

    // Not in the figure above, but what a phone with the service worker also fetches on
    // that visit: the worker itself, and every door page kept for use without signal.
    let (_, sw, _) = get(&app, "/sw.js", &cookie, true).await?;
    let mut pages = 0usize;
    for d in &doors {
        pages += get(&app, d, &cookie, true).await?.1.len();
    }
    println!(
        "Then, for offline use: the service worker {:.1} KB and {} door pages {:.1} KB ({:.1} KB each on average).",
        sw.len() as f64 / 1024.0,
        doors.len(),
        pages as f64 / 1024.0,
        pages as f64 / 1024.0 / doors.len().max(1) as f64
    );
    store.close().await;
    Ok(())
}

/// What one file cost: its path, then the status, the bytes sent and their encoding.
type Fetched = (String, (u16, Vec<u8>, String));

/// Fetches a page (gzip, as a browser asks) and the files it loads that were not fetched
/// before; returns the page's HTML.
async fn visit(
    app: &axum::Router,
    path: &str,
    cookie: &str,
    seen: &mut std::collections::HashSet<String>,
    rows: &mut Vec<Fetched>,
) -> Result<String, String> {
    let (status, html, _) = get(app, path, cookie, false).await?;
    if status != 200 {
        return Err(format!("{path} answered {status}"));
    }
    let html = String::from_utf8_lossy(&html).to_string();
    rows.push((path.to_string(), get(app, path, cookie, true).await?));
    for asset in assets_of(&html) {
        if seen.insert(asset.clone()) {
            let got = get(app, &asset, cookie, true).await?;
            rows.push((asset, got));
        }
    }
    Ok(html)
}

#[cfg(test)]
mod tests {
    use super::assets_of;

    #[test]
    fn a_pages_assets_are_its_links_and_scripts_not_its_anchors() {
        let html = r#"<link rel="modulepreload" href="/pkg/g.js"><link rel="stylesheet" href="/pkg/g.css">
            <script src="/doorstep.js" defer></script><a href="/walk/1/door/2">x</a>
            <script type="module">import('/pkg/g.js').then(m => m.default({module_or_path: '/pkg/g.wasm'}))</script>
            <link rel="icon" href="https://elsewhere.example/i.png">"#;
        assert_eq!(assets_of(html), ["/pkg/g.js", "/pkg/g.css", "/doorstep.js", "/pkg/g.wasm"]);
    }
}
