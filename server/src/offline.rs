//! The offline doorstep's service worker, served with this build's version in it.
//!
//! `public/sw.js` is a template: `__BUILD__` becomes a hash of the files the browser
//! runs (the wasm, its JavaScript, the CSS, the outbox script), and `/*ASSETS*/` their
//! paths. A new build therefore gives the worker new bytes, so phones install it, and its
//! cache has a new name: HTML cached with one build never meets another build's wasm.
//! Every response also says `x-groundwork-build`, so the worker notices a newer build
//! before it has updated and stops serving cached code.

use app::state::AppState;
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::OnceLock;

/// The teller's and the knocker's outbox scripts (`public/`), kept when the worker installs.
const OUTBOX_SCRIPTS: [&str; 3] = ["/outbox.js", "/telling.js", "/knock-up.js"];

/// The built files: the public ones, then `/pkg`'s scripts, wasm and CSS.
fn files(site_root: &Path) -> Vec<String> {
    let mut out: Vec<String> = app::PAGE_SCRIPTS.iter().map(|s| s.to_string()).collect();
    out.extend(["/manifest.webmanifest".into(), "/favicon.svg".into()]);
    out.extend(app::FEATURE_STYLESHEETS.iter().map(|s| s.to_string()));
    // Polling day's phone pages work offline too, with their own outboxes.
    out.extend(OUTBOX_SCRIPTS.iter().map(|s| s.to_string()));
    if let Ok(dir) = std::fs::read_dir(site_root.join("pkg")) {
        let mut names: Vec<String> = dir
            .flatten()
            .filter_map(|e| e.file_name().to_str().map(str::to_owned))
            .filter(|n| n.ends_with(".js") || n.ends_with(".wasm") || n.ends_with(".css"))
            .collect();
        names.sort();
        out.extend(names.into_iter().map(|n| format!("/pkg/{n}")));
    }
    out
}

/// A short hash of the contents of every built file: the same files give the same
/// version on every app server, and any change (the wasm included) a new one.
fn version(site_root: &Path, files: &[String]) -> String {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for a in files {
        a.hash(&mut h);
        std::fs::read(site_root.join(a.trim_start_matches('/'))).unwrap_or_default().hash(&mut h);
    }
    format!("{:016x}", h.finish())
}

struct Build {
    version: String,
    assets: Vec<String>,
}

fn build(state: &AppState) -> &'static Build {
    static BUILD: OnceLock<Build> = OnceLock::new();
    BUILD.get_or_init(|| {
        let root = Path::new(&*state.leptos_options.site_root);
        let files = files(root);
        // What the doorstep pages need offline is kept when the worker installs; the
        // wasm (which those pages do not load) is cached only when another page asks.
        let assets = files
            .iter()
            .filter(|f| {
                !f.ends_with(".js")
                    || app::PAGE_SCRIPTS.contains(&f.as_str())
                    || OUTBOX_SCRIPTS.contains(&f.as_str())
            })
            .filter(|f| !f.ends_with(".wasm"))
            .cloned()
            .collect();
        Build { version: version(root, &files), assets }
    })
}

/// This build's version, for the `x-groundwork-build` header.
pub fn build_header(state: &AppState) -> HeaderValue {
    HeaderValue::from_str(&build(state).version).unwrap_or_else(|_| HeaderValue::from_static("unknown"))
}

/// `GET /sw.js`: the worker, versioned; never cached by the browser's HTTP cache.
pub async fn service_worker(State(state): State<AppState>) -> Response {
    let b = build(&state);
    let path = Path::new(&*state.leptos_options.site_root).join("sw.js");
    let Ok(template) = tokio::fs::read_to_string(&path).await else {
        return (StatusCode::NOT_FOUND, "No service worker in this build.").into_response();
    };
    let assets = b.assets.iter().map(|a| format!("{a:?}")).collect::<Vec<_>>().join(",");
    let body = template.replace("__BUILD__", &b.version).replace("/*ASSETS*/", &assets);
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/javascript; charset=utf-8")),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ],
        body,
    )
        .into_response()
}
