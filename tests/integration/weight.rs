//! A new volunteer's phone downloads no WebAssembly on its way to the doorstep: the
//! sign-in page, the home page with their lists and the walk list are plain pages.

use groundwork_tests::*;

fn loads_wasm(html: &str) -> bool {
    html.contains(".wasm")
}

on_both_databases! {
    async fn weight_a_volunteers_first_visit_loads_no_webassembly_and_staff_pages_do(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        let phone = app.new_browser();
        let (status, login) = app.page_with(&phone, "/login").await;
        assert_eq!(status, 200);
        assert!(login.contains("name=\"password\""), "the sign-in form is there without the app: {login}");
        assert!(!loads_wasm(&login), "the sign-in page loads no WebAssembly");

        let signed_in = app.sign_in_with(&phone, VOLUNTEER, PASSWORD).await;
        assert!(signed_in.status().is_redirection(), "{}", signed_in.status());
        let (status, home) = app.page_with(&phone, "/").await;
        assert_eq!(status, 200);
        assert!(home.contains("Your walk lists"), "the volunteer's lists are on the plain page");
        assert!(!loads_wasm(&home), "the home page loads no WebAssembly");
        let list = home.split("href=\"/walk/").nth(1).and_then(|r| r.split('"').next()).expect("a walk list link");
        let (status, walk) = app.page_with(&phone, &format!("/walk/{list}")).await;
        assert_eq!(status, 200);
        assert!(!loads_wasm(&walk), "the walk list loads no WebAssembly");

        // An organiser's working pages still hydrate.
        let desk = app.new_browser();
        app.sign_in_with(&desk, ORGANISER, PASSWORD).await;
        let (status, seat) = app.page_with(&desk, "/seats/E14000611").await;
        assert_eq!(status, 200);
        assert!(loads_wasm(&seat), "staff pages load the app");
        app.stop().await;
    }
}
