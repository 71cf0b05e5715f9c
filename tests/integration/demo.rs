use groundwork::demo::{self, DemoOptions};
use groundwork_tests::*;

on_both_databases! {
    async fn the_demo_is_the_same_every_time_and_reloads_without_duplicates(backend) {
        let app = TestApp::empty(backend).await.expect("app");
        let opts = DemoOptions { electors: 900, seed: 7, ..DemoOptions::default() };
        let first = demo::load(&app.store, &opts, Some(PASSWORD)).await.expect("first load");
        let names_first = names(&app).await;
        let second = demo::load(&app.store, &opts, Some(PASSWORD)).await.expect("reload");
        assert_eq!(first.electors, 900);
        assert_eq!((first.households, first.conversations), (second.households, second.conversations));
        assert_eq!(names_first, names(&app).await, "same seed, same people");
        assert_eq!(app.count("SELECT COUNT(*) FROM seats").await, 1);
        assert_eq!(app.count("SELECT COUNT(*) FROM electors").await, 900);
        assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 4);
        assert_eq!(app.count("SELECT COUNT(*) FROM wards").await, 8);
        assert_eq!(app.count("SELECT COUNT(*) FROM seat_results").await, 2);
        app.stop().await;
    }

    async fn every_demo_household_has_electors_and_sits_inside_bury_north(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        assert_eq!(app.count("SELECT COUNT(*) FROM households h WHERE NOT EXISTS (SELECT 1 FROM electors e WHERE e.household_id = h.id)").await, 0);
        // Bury North lies within this box (from its boundary).
        assert_eq!(app.count("SELECT COUNT(*) FROM households WHERE lat IS NULL OR lat < 53.55 OR lat > 53.70 OR lon < -2.40 OR lon > -2.22").await, 0);
        assert_eq!(app.count("SELECT COUNT(*) FROM electors e JOIN households h ON h.id = e.household_id WHERE e.polling_district_id <> h.polling_district_id").await, 0);
        // Conversations only happen at doors on the list they were recorded from.
        assert_eq!(app.count("SELECT COUNT(*) FROM conversations c WHERE NOT EXISTS (SELECT 1 FROM walk_list_households w WHERE w.walk_list_id = c.walk_list_id AND w.household_id = c.household_id)").await, 0);
        // The demo volunteer has lists to walk.
        assert!(app.count("SELECT COUNT(*) FROM walk_list_assignments a JOIN volunteers v ON v.id = a.volunteer_id JOIN users u ON u.id = v.user_id WHERE u.role = 'volunteer'").await > 0);
        app.stop().await;
    }

    async fn without_a_shared_password_each_demo_account_gets_its_own(backend) {
        let app = TestApp::empty(backend).await.expect("app");
        let report = demo::load(&app.store, &DemoOptions { electors: 100, ..DemoOptions::default() }, None).await.expect("load");
        let passwords: std::collections::HashSet<_> = report.accounts.iter().map(|a| a.password.clone()).collect();
        assert_eq!(passwords.len(), 4);
        assert!(passwords.iter().all(|p| p.len() >= 16));
        let organiser = report.accounts.iter().find(|a| a.role == "organiser").expect("organiser");
        let response = app.sign_in_with(&app.client, &organiser.email, &organiser.password).await;
        assert_eq!(response.headers()["location"], "/");
        app.stop().await;
    }
}

async fn names(app: &TestApp) -> Vec<(String, String, String, i64)> {
    app::on_store!(&app.store, pool => sqlx::query_as(
        "SELECT first_name, surname, pd_prefix, elector_number FROM electors ORDER BY pd_prefix, elector_number")
        .fetch_all(pool).await).expect("names")
}
