//! Start-up refuses a site built apart from the binary (issue 19, item 7).

use std::process::Command;

#[test]
fn serve_refuses_to_start_when_the_site_lacks_the_wasm_its_pages_ask_for() {
    let exe = std::env::current_exe().expect("test exe");
    let bin = exe.parent().and_then(|d| d.parent()).expect("target dir").join("groundwork");
    assert!(bin.exists(), "{} is missing: build it first (`cargo build -p groundwork`)", bin.display());
    let dir = std::env::temp_dir().join(format!("gw-site-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(dir.join("pkg")).expect("pkg");
    // A site from another build: its wasm has neither name this binary's pages could ask for.
    std::fs::write(dir.join("pkg/groundwork.js"), b"// js").expect("js");
    std::fs::write(dir.join("pkg/other_build.wasm"), b"\0asm").expect("wasm");
    let output = Command::new(&bin)
        .arg("serve")
        .env("LEPTOS_SITE_ROOT", &dir)
        .env("DATABASE_URL", format!("sqlite://{}?mode=rwc", dir.join("gw.db").display()))
        .env("GROUNDWORK_ADDR", "127.0.0.1:0")
        .env("GROUNDWORK_DEMO", "false")
        .output()
        .expect("run the binary");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "it must not start: {stderr}");
    assert!(stderr.contains("does not match this binary") && stderr.contains("other_build.wasm"), "{stderr}");
    assert!(stderr.contains("cargo leptos build"), "{stderr}");
    assert!(!dir.join("gw.db").exists(), "refused before touching the database");
    let _ = std::fs::remove_dir_all(&dir);
}
