//! Sign-in hardening: guesses slow down instead of locking the owner out, the client
//! address behind a trusted proxy, HSTS, phones told to forget on sign-out, password
//! change and reset links, withdrawn invitations, and no demo accounts unless asked.

use app::auth::throttle;
use groundwork_tests::*;
use reqwest::header::{ACCEPT, LOCATION, REFERER};
use std::time::{Duration, Instant};

fn has_session(response: &reqwest::Response) -> bool {
    response
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.starts_with("gw_session=") && !v.starts_with("gw_session=;"))
}

/// Posts a form as a browser without JavaScript would: the status and where it leads.
async fn post_form(
    app: &TestApp,
    browser: &reqwest::Client,
    path: &str,
    form: &[(&str, &str)],
) -> (u16, String) {
    let response = browser
        .post(app.url(path))
        .header(ACCEPT, "text/html")
        .header(REFERER, app.url("/account"))
        .form(form)
        .send()
        .await
        .expect("POST");
    let location =
        response.headers().get(LOCATION).and_then(|l| l.to_str().ok()).unwrap_or_default().to_string();
    (response.status().as_u16(), location)
}

async fn signed_in(app: &TestApp, browser: &reqwest::Client) -> bool {
    app.page_with(browser, "/account").await.0 == 200
}

async fn user_id(app: &TestApp, email: &str) -> i64 {
    let (id,): (i64,) =
        app::on_store!(&app.store, pool => sqlx::query_as("SELECT id FROM users WHERE email = $1")
        .bind(email).fetch_one(pool).await)
        .expect("user");
    id
}

async fn failures(app: &TestApp, key: &str) -> i64 {
    let (n,): (i64,) = app::on_store!(&app.store, pool => sqlx::query_as("SELECT COUNT(*) FROM login_failures WHERE key = $1")
        .bind(key).fetch_one(pool).await)
    .expect("count");
    n
}

on_both_databases! {
    async fn signin_guesses_in_parallel_all_count_and_slow_the_answer_but_never_lock_the_owner_out(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        // Six wrong guesses at once, each from a browser of its own.
        let (url, referer) = (app.url("/api/login"), app.url("/login"));
        let guesses: Vec<_> = (0..6)
            .map(|_| {
                let (url, referer, browser) = (url.clone(), referer.clone(), app.new_browser());
                tokio::spawn(async move {
                    browser.post(url).header(ACCEPT, "text/html").header(REFERER, referer)
                        .form(&[("email", VOLUNTEER), ("password", "a-wrong-guess")])
                        .send().await.expect("POST")
                })
            })
            .collect();
        for guess in guesses {
            assert!(!has_session(&guess.await.expect("join")), "a wrong guess never signs in");
        }
        assert_eq!(failures(&app, &format!("email:{VOLUNTEER}")).await, 6, "each guess was counted before its check");

        // The owner is not locked out: the right password still works, after the delay six failures earn.
        let started = Instant::now();
        let response = app.sign_in_with(&app.new_browser(), VOLUNTEER, PASSWORD).await;
        let waited = started.elapsed();
        assert!(has_session(&response), "the right password signs in, however many guesses came before");
        let delay = throttle::delay_for(6, throttle::FREE_PER_ACCOUNT);
        assert!(delay >= Duration::from_secs(2) && waited >= delay, "waited {waited:?}, expected at least {delay:?}");
        assert!(delay <= Duration::from_millis(throttle::MAX_DELAY_MS));
        assert_eq!(failures(&app, &format!("email:{VOLUNTEER}")).await, 0, "a success starts the account afresh");
        assert_eq!(failures(&app, "ip:127.0.0.1").await, 6, "each wrong guess is a failure of the address too, the right password not");
        app.stop().await;
    }

    async fn signin_a_forwarded_address_is_believed_only_from_a_trusted_proxy(backend) {
        for trusted in [false, true] {
            let app = TestApp::empty_configured(backend, |c| {
                if trusted {
                    c.trusted_proxies = vec!["127.0.0.1".parse().expect("ip")];
                }
            })
            .await
            .expect("app");
            let response = app.client.post(app.url("/api/login"))
                .header(ACCEPT, "text/html")
                .header("x-forwarded-for", "198.51.100.1, 203.0.113.7")
                .form(&[("email", "nobody@example.org"), ("password", "a-wrong-guess")])
                .send().await.expect("POST");
            assert_eq!(response.status().as_u16(), 302);
            let (client, peer) = (failures(&app, "ip:203.0.113.7").await, failures(&app, "ip:127.0.0.1").await);
            if trusted {
                assert_eq!((client, peer), (1, 0), "behind our proxy, the client's address counts");
                assert_eq!(failures(&app, "ip:198.51.100.1").await, 0, "what the client wrote itself is not believed");
            } else {
                assert_eq!((client, peer), (0, 1), "from anyone else the header is ignored");
            }
            app.stop().await;
        }
    }

    async fn signin_hsts_is_sent_only_when_cookies_are_secure(backend) {
        let plain = TestApp::empty(backend).await.expect("app");
        let response = plain.client.get(plain.url("/login")).send().await.expect("GET");
        assert!(response.headers().get("strict-transport-security").is_none(), "not over plain HTTP");
        plain.stop().await;
        let https = TestApp::empty_configured(backend, |c| c.secure_cookies = true).await.expect("app");
        for path in ["/login", "/health"] {
            let response = https.client.get(https.url(path)).send().await.expect("GET");
            assert_eq!(response.headers()["strict-transport-security"], "max-age=31536000", "{path}");
        }
        https.stop().await;
    }

    async fn signin_signing_out_and_a_401_tell_the_phone_to_forget_its_cache(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        app.sign_in(VOLUNTEER).await;
        let response = app.client.post(app.url("/api/logout")).header(ACCEPT, "text/html").send().await.expect("logout");
        assert_eq!(response.status().as_u16(), 302);
        assert_eq!(response.headers()["clear-site-data"], "\"cache\"");
        // A phone that sends its outbox once signed out: 401, with the same instruction.
        let batch = app.client.post(app.url("/api/doorstep/batch"))
            .header(ACCEPT, "application/json")
            .json(&serde_json::json!({ "entries": [] }))
            .send().await.expect("batch");
        assert_eq!(batch.status().as_u16(), 401);
        assert_eq!(batch.headers()["clear-site-data"], "\"cache\"");
        let browser = app.new_browser();
        app.sign_in_with(&browser, ORGANISER, PASSWORD).await;
        let everywhere = browser.post(app.url("/api/sign_out_everywhere")).header(ACCEPT, "text/html").send().await.expect("POST");
        assert_eq!(everywhere.headers()["clear-site-data"], "\"cache\"");
        assert!(!signed_in(&app, &browser).await);
        app.stop().await;
    }

    async fn signin_a_password_change_needs_the_current_one_and_signs_out_other_devices(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        let (here, phone) = (app.new_browser(), app.new_browser());
        app.sign_in_with(&here, ORGANISER, PASSWORD).await;
        app.sign_in_with(&phone, ORGANISER, PASSWORD).await;
        let new = "a-brand-new-password-7";
        let (status, location) = post_form(&app, &here, "/api/change_password",
            &[("current_password", "not-my-password"), ("password", new), ("password_again", new)]).await;
        assert_eq!(status, 302);
        assert!(location.contains("__err"), "refused, back to the form: {location}");
        let (_, html) = app.page_with(&here, location.trim_start_matches(&app.base)).await;
        assert!(main_of(&html).contains("Your current password is not right."), "{}", main_of(&html));
        assert!(signed_in(&app, &phone).await, "nothing changed yet");

        let (status, location) = post_form(&app, &here, "/api/change_password",
            &[("current_password", PASSWORD), ("password", new), ("password_again", new)]).await;
        assert_eq!((status, location.as_str()), (302, "/account?changed=1"));
        assert!(signed_in(&app, &here).await, "this device stays signed in");
        assert!(!signed_in(&app, &phone).await, "every other device is signed out");
        assert!(!has_session(&app.sign_in_with(&app.new_browser(), ORGANISER, PASSWORD).await), "the old password is gone");
        assert!(has_session(&app.sign_in_with(&app.new_browser(), ORGANISER, new).await));
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'change' AND reason = 'changed their password'").await, 1);
        app.stop().await;
    }

    async fn signin_an_admins_reset_link_sets_a_new_password_once(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        let volunteer = user_id(&app, VOLUNTEER).await.to_string();
        let phone = app.new_browser();
        app.sign_in_with(&phone, VOLUNTEER, PASSWORD).await;
        // Only admins make them.
        let organiser = app.new_browser();
        app.sign_in_with(&organiser, ORGANISER, PASSWORD).await;
        let refused = organiser.post(app.url("/api/reset_link")).form(&[("user_id", volunteer.as_str())]).send().await.expect("POST");
        assert_eq!(refused.status().as_u16(), 403);
        assert_eq!(app.count("SELECT COUNT(*) FROM password_resets").await, 0);

        app.sign_in(ADMIN).await;
        let (status, location) = post_form(&app, &app.client, "/api/reset_link", &[("user_id", volunteer.as_str())]).await;
        assert_eq!(status, 302);
        let code = location.split("reset=").nth(1).expect("the link is shown once").to_string();
        let (_, html) = app.page(&location).await;
        assert!(main_of(&html).contains(&format!("/reset/{code}")), "the people page shows the link");
        assert_eq!(app.count("SELECT COUNT(*) FROM password_resets WHERE code_hash LIKE '%-%'").await, 0, "only a hash is kept");

        let forgetful = app.new_browser();
        let (status, html) = app.page_with(&forgetful, &format!("/reset/{code}")).await;
        assert_eq!(status, 200);
        assert!(main_of(&html).contains(VOLUNTEER), "{}", main_of(&html));
        let new = "my-new-doorstep-pass";
        let (status, location) = post_form(&app, &forgetful, "/api/reset_password",
            &[("code", code.as_str()), ("password", new), ("password_again", new)]).await;
        assert_eq!((status, location.as_str()), (302, "/"));
        assert!(signed_in(&app, &forgetful).await, "signed in with the new password");
        assert!(!signed_in(&app, &phone).await, "old sessions end");
        let again = app.new_browser().post(app.url("/api/reset_password"))
            .form(&[("code", code.as_str()), ("password", "yet-another-pass-1"), ("password_again", "yet-another-pass-1")])
            .send().await.expect("POST");
        assert_eq!(again.status().as_u16(), 404, "a link works once");
        assert!(has_session(&app.sign_in_with(&app.new_browser(), VOLUNTEER, new).await));
        assert!(!has_session(&app.sign_in_with(&app.new_browser(), VOLUNTEER, PASSWORD).await));
        app.stop().await;
    }

    async fn signin_a_withdrawn_invitation_cannot_be_used(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        let (seat,): (i64,) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT id FROM seats WHERE gss_code = 'E14000611'").fetch_one(pool).await).expect("seat");
        app.sign_in(ORGANISER).await;
        let (_, location) = post_form(&app, &app.client, "/api/invite", &[("email", "wrong.address@example.org"),
            ("display_name", "Wren Wrong"), ("role", "volunteer"), ("patch", &format!("seat:{seat}"))]).await;
        let code = location.split("invited=").nth(1).expect("code").to_string();
        let (_, html) = app.page("/people").await;
        assert!(main_of(&html).contains("Withdraw"), "the waiting invitation offers to withdraw it");

        let (status, location) = post_form(&app, &app.client, "/api/revoke_invitation", &[("email", "wrong.address@example.org")]).await;
        assert_eq!((status, location.as_str()), (302, "/people"));
        let (_, html) = app.page("/people").await;
        assert!(!main_of(&html).contains("wrong.address@example.org"), "no longer waiting");
        let accept = app.new_browser().post(app.url("/api/accept_invitation"))
            .form(&[("code", code.as_str()), ("password", "a-new-password-1"), ("password_again", "a-new-password-1")])
            .send().await.expect("POST");
        assert_eq!(accept.status().as_u16(), 404);
        assert_eq!(app.count("SELECT COUNT(*) FROM users WHERE email = 'wrong.address@example.org'").await, 0);
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE reason = 'invitation withdrawn'").await, 1);
        app.stop().await;
    }

    async fn signin_an_empty_database_gets_no_demo_and_serve_says_how_to_invite_the_first_admin(backend) {
        let app = TestApp::empty(backend).await.expect("app");
        let mut child = tokio::process::Command::new(groundwork_binary())
            .arg("serve")
            .env("DATABASE_URL", app.database_url())
            .env("GROUNDWORK_ADDR", "127.0.0.1:0")
            .env_remove("GROUNDWORK_DEMO")
            .env_remove("GROUNDWORK_CONFIG")
            .current_dir(std::env::temp_dir())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("start groundwork serve");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = tokio::io::AsyncBufReadExt::lines(tokio::io::BufReader::new(stdout));
        let mut said = String::new();
        let read = async {
            while let Some(line) = lines.next_line().await.expect("read") {
                said.push_str(&line);
                said.push('\n');
                if line.contains("Groundwork is running") {
                    break;
                }
            }
        };
        tokio::time::timeout(Duration::from_secs(60), read).await.expect("the server starts");
        child.start_kill().expect("stop");
        let _ = child.wait().await;
        assert!(!said.contains("Demo accounts"), "{said}");
        assert!(said.contains("groundwork user invite you@example.org --name \"Your Name\" --role admin"), "{said}");
        assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 0, "no demo accounts");
        assert_eq!(app.count("SELECT COUNT(*) FROM seats").await, 0);
        assert!(groundwork::first_start_notice(&app.store).await.expect("notice").is_some());
        app.stop().await;
        let demo = TestApp::with_demo(backend).await.expect("app");
        assert!(groundwork::first_start_notice(&demo.store).await.expect("notice").is_none(), "once anyone has an account");
        demo.stop().await;
    }
}

/// The `groundwork` binary cargo built beside this test.
fn groundwork_binary() -> std::path::PathBuf {
    let exe = std::env::current_exe().expect("test exe");
    let dir = exe.parent().and_then(|d| d.parent()).expect("target dir");
    let bin = dir.join("groundwork");
    assert!(bin.exists(), "{} is missing: build it first (`cargo build -p groundwork`)", bin.display());
    bin
}
