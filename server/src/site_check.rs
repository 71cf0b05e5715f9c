//! At start-up, the site's built files must be the ones this binary's pages ask for.
//!
//! Leptos names the wasm a page loads when the server is compiled: `cargo leptos build`
//! passes `LEPTOS_OUTPUT_NAME`, and the pages then ask for `/pkg/groundwork.wasm`; a plain
//! `cargo build` of the server does not, and its pages ask for `groundwork_bg.wasm`. A
//! server built apart from its site therefore serves pages whose wasm is a 404, and every
//! organiser screen silently does nothing. So `serve` checks first, and refuses to start
//! with the reason and the fix.

use std::path::Path;

/// The files under the site root (`pkg/…`) that this binary's pages load.
pub fn expected_files(output_name: &str, pkg_dir: &str) -> Vec<String> {
    // The same rule as leptos's `HydrationScripts` (leptos 0.8, without hashed names).
    let wasm = if option_env!("LEPTOS_OUTPUT_NAME").is_some() {
        format!("{output_name}.wasm")
    } else {
        format!("{output_name}_bg.wasm")
    };
    vec![format!("{pkg_dir}/{output_name}.js"), format!("{pkg_dir}/{wasm}")]
}

/// What the start-up check found.
#[derive(Debug, PartialEq, Eq)]
pub enum SiteCheck {
    /// Every file the pages load is there.
    Complete,
    /// No site at all (no `pkg` folder): the API and plain pages work, nothing hydrates.
    /// Allowed, with a warning, for servers that only take the phones' batches.
    Absent(String),
}

/// Checks `site_root` for `expected`. A site that is there but lacks a file the pages
/// ask for is an error in words: which file, what the folder holds, and what to do.
pub fn check(site_root: &Path, pkg_dir: &str, expected: &[String]) -> Result<SiteCheck, String> {
    let pkg = site_root.join(pkg_dir);
    if !pkg.is_dir() {
        return Ok(SiteCheck::Absent(format!(
            "warning: there is no built site at {} (LEPTOS_SITE_ROOT), so pages will not load their \
             WebAssembly; build it with `cargo leptos build` if this server shows pages to people",
            pkg.display()
        )));
    }
    let missing: Vec<&String> = expected.iter().filter(|f| !site_root.join(f).is_file()).collect();
    if missing.is_empty() {
        return Ok(SiteCheck::Complete);
    }
    let mut found: Vec<String> = std::fs::read_dir(&pkg)
        .map(|d| d.flatten().filter_map(|e| e.file_name().to_str().map(str::to_owned)).collect())
        .unwrap_or_default();
    found.sort();
    let missing: Vec<String> = missing.iter().map(|f| format!("/{f}")).collect();
    Err(format!(
        "the site at {} does not match this binary: its pages ask for {} but {} holds {}. \
         The server and the site were built separately (a `cargo build` after `cargo leptos build` \
         renames the wasm the pages ask for). Build both together with `cargo leptos build` \
         (add `--release` for a release), or point LEPTOS_SITE_ROOT at the site built with this binary.",
        site_root.display(),
        missing.join(" and "),
        pkg.display(),
        if found.is_empty() { "nothing".to_string() } else { found.join(", ") },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(files: &[&str]) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("gw-site-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(dir.join("pkg")).expect("pkg");
        for f in files {
            std::fs::write(dir.join("pkg").join(f), b"x").expect("file");
        }
        dir
    }

    #[test]
    fn a_site_built_with_the_binary_passes_and_one_built_apart_is_refused_in_words() {
        let expected = vec!["pkg/groundwork.js".to_string(), "pkg/groundwork_bg.wasm".to_string()];
        let good = site(&["groundwork.js", "groundwork_bg.wasm", "groundwork.css"]);
        assert_eq!(check(&good, "pkg", &expected), Ok(SiteCheck::Complete));
        let apart = site(&["groundwork.js", "groundwork.wasm", "groundwork.css"]);
        let error = check(&apart, "pkg", &expected).expect_err("refused");
        assert!(error.contains("/pkg/groundwork_bg.wasm"), "{error}");
        assert!(error.contains("groundwork.css, groundwork.js, groundwork.wasm"), "{error}");
        assert!(error.contains("cargo leptos build"), "{error}");
        let none = std::env::temp_dir().join(format!("gw-site-{}", uuid::Uuid::now_v7()));
        assert!(matches!(check(&none, "pkg", &expected), Ok(SiteCheck::Absent(_))));
        for dir in [good, apart] {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}
