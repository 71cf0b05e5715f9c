use app::register::import::{import, ImportError, ImportOptions};
use app::register::layout::{Edition, Field};
use app::register::{ImportReport, Outcome};
use groundwork::demo::model::{Elector, People};
use groundwork::demo::register_file::{encode, register_text, Encoding};
use groundwork::demo::{self, DemoOptions};
use groundwork_tests::*;

fn people() -> People {
    demo::people(&DemoOptions { electors: DEMO_ELECTORS, ..DemoOptions::default() }).expect("people")
}

async fn run(
    app: &TestApp,
    bytes: Vec<u8>,
    commit: bool,
    valid_only: bool,
) -> Result<ImportReport, ImportError> {
    let opts = ImportOptions {
        seat: "E14000611",
        file_name: "test.csv",
        mapping: None,
        valid_only,
        commit,
        user_id: None,
        confirm_left: None,
    };
    import(&app.store, std::io::Cursor::new(bytes), opts, |_| {}).await
}

/// Everything about the seat's electors that an import could change, for before/after checks.
async fn snapshot(app: &TestApp) -> Vec<(i64, String, i64, i64, String, String, Option<String>, i64)> {
    app::on_store!(&app.store, pool => sqlx::query_as(
        "SELECT id, pd_prefix, elector_number, elector_suffix, first_name, surname, markers,
                CAST(CASE WHEN left_at IS NULL THEN 0 ELSE 1 END AS BIGINT)
           FROM electors ORDER BY id").fetch_all(pool).await)
    .expect("snapshot")
}

on_both_databases! {
    async fn every_council_layout_reimports_the_register_we_hold_unchanged(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        let people = people();
        let before = snapshot(&app).await;
        for (slug, layout) in [
            ("xpress", "Xpress full register"),
            ("xpress-name", "Xpress full register (one name column)"),
            ("xpress-update", "Xpress monthly update"),
            ("eros", "Idox/Halarose EROS full register"),
            ("eros-update", "Idox/Halarose EROS update"),
            ("pp50", "Halarose EROS full register (pp50)"),
            ("groundwork", "Groundwork export"),
        ] {
            let text = register_text(&people, slug, b',', "\r\n").expect("text");
            let report = run(&app, text.into_bytes(), true, false).await.expect(slug);
            assert_eq!(report.layout, layout);
            assert_eq!(report.outcome, Outcome::Imported, "{slug}");
            assert_eq!(
                (report.added, report.changed, report.left, report.renumbered, report.unchanged, report.new_households),
                (0, 0, 0, 0, DEMO_ELECTORS as i64, 0),
                "{slug}: {:?}", report.rejected
            );
        }
        assert_eq!(before, snapshot(&app).await, "titles and markers the layouts lack were kept");
        app.stop().await;
    }

    async fn encodings_line_ends_and_tabs_all_read_the_same_people(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        let people = people();
        for (encoding, line_end, delimiter) in [
            (Encoding::Utf8Bom, "\r", b','),
            (Encoding::Utf16Le, "\n", b','),
            (Encoding::Utf16Be, "\r\n", b'\t'),
            (Encoding::Utf8, "\n", b'\t'),
        ] {
            let text = register_text(&people, "xpress", delimiter, line_end).expect("text");
            let report = run(&app, encode(&text, encoding), false, false).await.expect("import");
            assert_eq!(report.unchanged, DEMO_ELECTORS as i64, "{encoding:?} {line_end:?}: {:?}", report.rejected);
        }
        // Windows-1252 cannot spell every name (ś, for one): those come back changed, the rest unchanged.
        let text = register_text(&people, "xpress", b'\t', "\r\n").expect("text");
        let unspellable = people.electors.iter()
            .filter(|e| encoding_rs::WINDOWS_1252.encode(&format!("{}{}", e.first_name, e.surname)).2)
            .count() as i64;
        let report = run(&app, encode(&text, Encoding::Windows1252), false, false).await.expect("import");
        assert_eq!(report.encoding, "windows-1252");
        assert_eq!((report.unchanged, report.changed, report.added, report.left), (DEMO_ELECTORS as i64 - unspellable, unspellable, 0, 0));
        app.stop().await;
    }

    async fn a_new_edition_merges_and_a_renumbered_elector_keeps_their_history(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        let mut people = people();
        // Someone with a doorstep conversation on record.
        let (elector_id, prefix, number): (i64, String, i64) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT e.id, e.pd_prefix, e.elector_number FROM conversations c JOIN electors e ON e.id = c.elector_id
              ORDER BY e.id LIMIT 1").fetch_one(pool).await).expect("an elector with history");
        let talked_to = people.electors.iter().position(|e| people.polling_districts[e.pd].code == prefix && e.number == number).expect("in file");
        people.electors[talked_to].number = 9_000; // the council renumbers them
        let leaver = (talked_to + 1) % people.electors.len();
        let leaver_number = (people.polling_districts[people.electors[leaver].pd].code.clone(), people.electors[leaver].number);
        people.electors.remove(leaver);
        let changed = (talked_to + 5) % people.electors.len();
        people.electors[changed].surname = "Llŷr-Newname";
        let template = &people.electors[0];
        people.electors.push(Elector { number: 9_001, first_name: "Newcomer", ..clone_elector(template) });

        let text = register_text(&people, "xpress", b',', "\r\n").expect("text");
        let before = snapshot(&app).await;
        let preview = run(&app, text.clone().into_bytes(), false, false).await.expect("preview");
        assert_eq!(preview.outcome, Outcome::Previewed);
        assert_eq!((preview.added, preview.changed, preview.left, preview.renumbered), (1, 1, 1, 1));
        assert_eq!(before, snapshot(&app).await, "a preview writes nothing");

        let report = run(&app, text.into_bytes(), true, false).await.expect("import");
        assert_eq!((report.added, report.changed, report.left, report.renumbered), (1, 1, 1, 1));
        let (now_number, history): (i64, i64) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT e.elector_number, (SELECT COUNT(*) FROM conversations c WHERE c.elector_id = e.id)
               FROM electors e WHERE e.id = $1").bind(elector_id).fetch_one(pool).await).expect("same person");
        assert_eq!(now_number, 9_000, "same row, new number");
        assert!(history > 0, "their conversations are still theirs");
        let left: i64 = app::on_store!(&app.store, pool => sqlx::query_as::<_, (i64,)>(
            "SELECT COUNT(*) FROM electors WHERE pd_prefix = $1 AND elector_number = $2 AND left_at IS NOT NULL")
            .bind(&leaver_number.0).bind(leaver_number.1).fetch_one(pool).await).expect("leaver").0;
        assert_eq!(left, 1, "the leaver is marked, not deleted");
        assert_eq!(app.count("SELECT COUNT(*) FROM electors WHERE surname = 'Llŷr-Newname'").await, 1);
        assert_eq!(app.count("SELECT COUNT(*) FROM electors WHERE left_at IS NULL").await, DEMO_ELECTORS as i64);
        app.stop().await;
    }

    async fn bad_rows_cancel_the_import_or_are_skipped_and_listed(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        let text = register_text(&people(), "xpress", b',', "\n").expect("text");
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        // Line numbers count the header as line 1.
        lines[2] = lines[2].replacen(",", ",x", 1); // line 3: the number column becomes "x12"
        lines[4] = lines[4].replace(&lines[4].split(',').nth(7).expect("postcode").to_string(), "NOT A POSTCODE"); // line 5
        let fields: Vec<&str> = lines[6].split(',').collect();
        lines[6] = [&fields[..4], &["31/13/1990"], &fields[5..]].concat().join(","); // line 7: DOB
        let bad = lines.join("\r\n").into_bytes(); // CRLF, as Windows-based council systems write
        let before = snapshot(&app).await;

        let cancelled = run(&app, bad.clone(), true, false).await.expect("report");
        assert_eq!(cancelled.outcome, Outcome::Cancelled);
        let found: Vec<(u64, &str)> = cancelled.rejected.iter().map(|r| (r.line, r.column.as_str())).collect();
        assert_eq!(found, [(3, "Elector Number"), (5, "PostCode"), (7, "Elector DOB")]);
        assert!(cancelled.rejected[1].reason.contains("NOT A POSTCODE"));
        assert_eq!(before, snapshot(&app).await, "a cancelled import changes nothing");

        let partial = run(&app, bad, true, true).await.expect("report");
        assert_eq!(partial.outcome, Outcome::Imported);
        assert_eq!(partial.rejected.len(), 3);
        assert_eq!(partial.unchanged, DEMO_ELECTORS as i64 - 3);
        assert_eq!(partial.left, 0, "a row we could not read is not proof that someone left");
        app.stop().await;
    }

    async fn a_register_for_an_empty_seat_builds_households_and_places_them(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        app::on_store!(&app.store, pool => sqlx::query("INSERT INTO seats (gss_code, name, is_target) VALUES ('W07000041', 'Ynys Môn', TRUE)")
            .execute(pool).await.map(|_| ())).expect("seat");
        let csv = "PDCode,RollNo,ElectorTitle,ElectorSurname,ElectorForename,ElectorMiddleName,AttainersDOB,FranchiseMarker,RegisteredAddress1,RegisteredAddress2,PostCode\r\n\
                   AA,1,Mr,Llŷr,Dafydd,,,,\"Flat 2, \"\"Y Felin\"\"\",12 Mill Lane,bl0 0aa\r\n\
                   AA,2,Mrs,Llŷr,Siân,Mair,,Q,\"Flat 2, \"\"Y Felin\"\"\",12 Mill Lane,BL0 0AA\r\n\
                   AA,3/1,,Ní Bhriain,Zoë,,01/09/2027,,\"Rose Cottage\nBack Lane\",,ZZ9 9ZZ\r\n";
        let opts = ImportOptions { seat: "W07000041", file_name: "eros.csv", mapping: None, valid_only: false, commit: true, user_id: None, confirm_left: None };
        let report = import(&app.store, std::io::Cursor::new(csv.as_bytes().to_vec()), opts, |_| {}).await.expect("import");
        assert_eq!(report.rejected, vec![]);
        assert_eq!((report.added, report.new_households), (3, 2), "two electors at one door share a household");
        assert_eq!(report.unplaced.len(), 1);
        assert!(report.unplaced[0].contains("ZZ9 9ZZ"), "{:?}", report.unplaced);
        assert_eq!(report.unknown_markers, vec![("Q".to_string(), 1)]);
        let (lat, lon, pc_lat, pc_lon): (f64, f64, f64, f64) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT h.lat, h.lon, p.lat, p.lon FROM households h JOIN seats s ON s.id = h.seat_id
               JOIN postcodes p ON p.postcode = h.postcode WHERE s.gss_code = 'W07000041'").fetch_one(pool).await).expect("placed");
        let metres = ((lat - pc_lat) * 111_320.0).hypot((lon - pc_lon) * 111_320.0 * 0.59);
        assert!(metres < 45.0, "placed near its postcode: {metres} m");
        let names: Vec<(String, String, i64)> = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT e.first_name, e.surname, e.elector_suffix FROM electors e JOIN seats s ON s.id = e.seat_id
              WHERE s.gss_code = 'W07000041' ORDER BY e.elector_number").fetch_all(pool).await).expect("names");
        assert_eq!(names, [("Dafydd".into(), "Llŷr".into(), 0), ("Siân".into(), "Llŷr".into(), 0), ("Zoë".into(), "Ní Bhriain".into(), 1)]);
        app.stop().await;
    }

    async fn an_unknown_layout_asks_for_a_mapping_and_remembers_it(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        let csv = "Ref\tFamily name\tGiven name\tLine 1\tPost code\nAA-1\tHolt\tAnn\t1 Peel Road\tBL0 0AA\n";
        let err = run(&app, csv.as_bytes().to_vec(), true, false).await.expect_err("unknown");
        assert!(err.to_string().contains("Family name"), "{err}");
        let names: std::collections::BTreeMap<Field, String> = [(Field::ElectorNumber, "Ref"), (Field::Surname, "Family name"), (Field::Forename, "Given name"), (Field::Address1, "Line 1"), (Field::Postcode, "Post code")]
            .into_iter().map(|(f, n)| (f, n.to_string())).collect();
        let mapping = app::register::mapping::MappingSpec::parse(
            "elector_number=Ref; surname=Family name; forename=Given name; address1=Line 1; postcode=Post code", Edition::Update,
        ).expect("mapping");
        assert_eq!(mapping.names, names, "the command-line form reads as the fields it names");
        let opts = ImportOptions { seat: "E14000611", file_name: "odd.tsv", mapping: Some(mapping), valid_only: false, commit: false, user_id: None, confirm_left: None };
        let report = import(&app.store, std::io::Cursor::new(csv.as_bytes().to_vec()), opts, |_| {}).await.expect("mapped");
        assert_eq!(report.layout, "Hand-made mapping");
        // The next file with the same header needs no mapping.
        let again = run(&app, csv.as_bytes().to_vec(), false, false).await.expect("remembered");
        assert_eq!(again.layout, "Hand-made mapping");
        assert_eq!(again.rows, 1);
        app.stop().await;
    }

    async fn an_organiser_exports_the_register_and_it_imports_back_unchanged(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        for (who, status) in [(VOLUNTEER, 403), (REGIONAL, 403)] {
            let browser = app.new_browser();
            app.sign_in_with(&browser, who, PASSWORD).await;
            let response = browser.get(app.url("/seats/E14000611/export/electors.csv")).send().await.expect("GET");
            assert_eq!(response.status().as_u16(), status, "{who}");
        }
        let anonymous = app.new_browser().get(app.url("/seats/E14000611/export/electors.csv")).send().await.expect("GET");
        assert_eq!(anonymous.status().as_u16(), 401);

        app.sign_in(ORGANISER).await;
        for (file, rows) in [("households.csv", app.count("SELECT COUNT(*) FROM households").await), ("conversations.csv", app.count("SELECT COUNT(*) FROM conversations").await)] {
            let body = app.client.get(app.url(&format!("/seats/E14000611/export/{file}"))).send().await.expect("GET").text().await.expect("body");
            let mut reader = csv::Reader::from_reader(body.as_bytes());
            assert_eq!(reader.records().count() as i64, rows, "{file}");
        }
        let response = app.client.get(app.url("/seats/E14000611/export/electors.csv")).send().await.expect("GET");
        assert_eq!(response.status().as_u16(), 200);
        assert!(response.headers()["content-type"].to_str().expect("type").starts_with("text/csv"));
        let body = response.bytes().await.expect("body").to_vec();
        let report = run(&app, body, false, false).await.expect("re-import");
        assert_eq!(report.layout, "Groundwork export");
        assert_eq!((report.unchanged, report.added, report.changed, report.left), (DEMO_ELECTORS as i64, 0, 0, 0), "{:?}", report.rejected);
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'export'").await, 3, "each export is logged");
        app.stop().await;
    }

    async fn an_import_killed_mid_write_leaves_the_database_unchanged(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        let dir = std::env::temp_dir().join(format!("gw-kill-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).expect("dir");
        let file = dir.join("big.csv");
        let big = demo::people(&DemoOptions { electors: 30_000, seed: 99, ..DemoOptions::default() }).expect("people");
        std::fs::write(&file, register_text(&big, "xpress", b',', "\r\n").expect("text")).expect("write");
        let before = snapshot(&app).await;
        let households = app.count("SELECT COUNT(*) FROM households").await;

        let mut child = tokio::process::Command::new(groundwork_binary())
            .args(["import", "register", file.to_str().expect("path"), "--seat", "E14000611"])
            .env("DATABASE_URL", app.database_url())
            .env("GROUNDWORK_DEMO", "false")
            .stderr(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("start the import");
        let stderr = child.stderr.take().expect("stderr");
        let mut lines = tokio::io::AsyncBufReadExt::lines(tokio::io::BufReader::new(stderr));
        while let Some(line) = lines.next_line().await.expect("read") {
            if line.contains("Writing the import") {
                break;
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(150)).await;
        child.start_kill().expect("kill -9");
        let status = child.wait().await.expect("wait");
        assert!(!status.success(), "the import was interrupted, not finished");
        assert_eq!(before, snapshot(&app).await);
        assert_eq!(households, app.count("SELECT COUNT(*) FROM households").await);
        let _ = std::fs::remove_dir_all(&dir);
        app.stop().await;
    }

    async fn a_full_register_that_would_mark_most_electors_as_left_is_refused_until_the_number_is_typed(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        let mut people = people();
        // One ward's worth of a register sent as if it were the whole of it.
        people.electors.truncate(DEMO_ELECTORS / 10);
        let text = register_text(&people, "xpress", b',', "\r\n").expect("text");
        let before = snapshot(&app).await;
        let leaving = (DEMO_ELECTORS - DEMO_ELECTORS / 10) as i64;

        let preview = run(&app, text.clone().into_bytes(), false, false).await.expect("preview");
        assert_eq!((preview.outcome, preview.left, preview.held_before), (Outcome::Previewed, leaving, DEMO_ELECTORS as i64));
        let warning = preview.partial_warning().expect("the preview warns");
        assert!(warning.contains(&format!("mark {leaving} of the {DEMO_ELECTORS} electors")) && warning.contains("10%"), "{warning}");

        let refused = run(&app, text.clone().into_bytes(), true, false).await.expect("refused");
        assert_eq!(refused.outcome, Outcome::LooksPartial);
        assert_eq!(before, snapshot(&app).await, "nothing was written");
        assert_eq!(app.count("SELECT COUNT(*) FROM register_imports").await, 0, "no import is on record");

        // A wrong number typed is still refused; the right one imports.
        let typed = |n: i64| ImportOptions { seat: "E14000611", file_name: "part.csv", mapping: None, valid_only: false,
            commit: true, user_id: None, confirm_left: Some(n) };
        let wrong = import(&app.store, std::io::Cursor::new(text.clone().into_bytes()), typed(leaving - 1), |_| {}).await.expect("wrong");
        assert_eq!(wrong.outcome, Outcome::LooksPartial);
        assert_eq!(before, snapshot(&app).await);
        let done = import(&app.store, std::io::Cursor::new(text.into_bytes()), typed(leaving), |_| {}).await.expect("confirmed");
        assert_eq!((done.outcome, done.left), (Outcome::Imported, leaving));
        assert_eq!(app.count("SELECT COUNT(*) FROM electors WHERE left_at IS NULL").await, (DEMO_ELECTORS / 10) as i64);
        app.stop().await;
    }

    async fn the_share_a_full_register_may_mark_as_left_is_a_campaign_setting(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        let mut people = people();
        // A fifth gone: refused at the default 10%, imported once the campaign allows 25%.
        people.electors.truncate(DEMO_ELECTORS * 4 / 5);
        let text = register_text(&people, "xpress", b',', "\r\n").expect("text");
        let refused = run(&app, text.clone().into_bytes(), true, false).await.expect("refused");
        assert_eq!(refused.outcome, Outcome::LooksPartial);
        app::settings::queries::save(&app.store, None, &[("register_left_limit".to_string(), "25".to_string())].into())
            .await
            .expect("setting saved");
        let done = run(&app, text.into_bytes(), true, false).await.expect("import");
        assert_eq!((done.outcome, done.left, done.left_limit_percent), (Outcome::Imported, (DEMO_ELECTORS / 5) as i64, 25));
        app.stop().await;
    }
}

fn clone_elector(e: &Elector) -> Elector {
    Elector {
        household: e.household,
        pd: e.pd,
        number: e.number,
        markers: e.markers,
        title: e.title,
        first_name: e.first_name,
        surname: e.surname,
        attainment_date: e.attainment_date,
    }
}

/// The `groundwork` binary cargo built beside this test.
fn groundwork_binary() -> std::path::PathBuf {
    let exe = std::env::current_exe().expect("test exe");
    let dir = exe.parent().and_then(|d| d.parent()).expect("target dir");
    let bin = dir.join("groundwork");
    assert!(
        bin.exists(),
        "{} is missing: run the tests with `-p groundwork` too (./dev test does)",
        bin.display()
    );
    bin
}

/// Uploads a file through the register page's form, as a browser would.
async fn upload(app: &TestApp, browser: &reqwest::Client, bytes: Vec<u8>) -> reqwest::Response {
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(bytes).file_name("register.csv").mime_str("text/csv").expect("mime"),
    );
    browser.post(app.url("/seats/E14000611/register/upload")).multipart(form).send().await.expect("upload")
}

/// The preview page once the background check has finished (it shows progress until then).
async fn checked(app: &TestApp, path: &str) -> String {
    for _ in 0..100 {
        let (status, html) = app.page(path).await;
        assert_eq!(status, 200, "{html}");
        let main = main_of(&html).to_string();
        if !main.contains("Checking the file") {
            return main;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the check of {path} did not finish");
}

on_both_databases! {
    async fn an_organiser_uploads_a_register_checks_the_preview_and_imports_it(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        let mut people = people();
        people.electors[3].surname = "Changed";
        let text = register_text(&people, "xpress", b',', "\r\n").expect("text");

        let volunteer = app.new_browser();
        app.sign_in_with(&volunteer, VOLUNTEER, PASSWORD).await;
        assert_eq!(upload(&app, &volunteer, text.clone().into_bytes()).await.status().as_u16(), 403);
        assert_eq!(app.page_with(&volunteer, "/seats/E14000611/register").await.0, 403);

        app.sign_in(ORGANISER).await;
        let response = upload(&app, &app.client, text.into_bytes()).await;
        assert_eq!(response.status().as_u16(), 303);
        let preview_path = response.headers()["location"].to_str().expect("location").to_string();
        assert!(preview_path.starts_with("/seats/E14000611/register/"), "{preview_path}");
        assert_eq!(app.count("SELECT COUNT(*) FROM electors WHERE surname = 'Changed'").await, 0, "nothing written yet");

        let main = checked(&app, &preview_path).await;
        assert!(main.contains("Xpress full register"), "{main}");
        assert!(main.contains("<span class=\"stat-n\">1</span><span class=\"stat-label\">Changed</span>"), "{main}");

        let id = preview_path.rsplit('/').next().expect("id");
        let commit = app.client.post(app.url("/api/register_commit")).header("accept", "text/html")
            .form(&[("gss", "E14000611"), ("id", id)]).send().await.expect("commit");
        assert_eq!(commit.status().as_u16(), 302);
        assert_eq!(commit.headers()["location"], "/seats/E14000611/register?imported=1");
        assert_eq!(app.count("SELECT COUNT(*) FROM electors WHERE surname = 'Changed'").await, 1);
        assert_eq!(app.count("SELECT COUNT(*) FROM register_uploads").await, 0, "the held file is gone once imported");
        let (_, page) = app.page("/seats/E14000611/register?imported=1").await;
        assert!(main_of(&page).contains("The register was imported."));
        app.stop().await;
    }

    async fn an_unknown_layout_is_mapped_on_the_page_and_remembered_for_the_next_file(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        app.sign_in(ORGANISER).await;
        let file = "Ref,Family name,Given name,Line 1,Post code\r\nAA-9001,Quillfeather,Ann,1 Peel Road,BL0 0AA\r\nAA-9002,Quillfeather,Ben,1 Peel Road,BL0 0AA\r\n";
        let response = upload(&app, &app.client, file.as_bytes().to_vec()).await;
        assert_eq!(response.status().as_u16(), 303);
        let page = response.headers()["location"].to_str().expect("location").to_string();
        let (status, html) = app.page(&page).await;
        assert_eq!(status, 200);
        let main = main_of(&html);
        assert!(main.contains("Match the columns"), "{main}");
        assert!(main.contains("Family name (e.g. Quillfeather)"), "each column is offered with an example: {main}");
        let id = page.rsplit('/').next().expect("id").to_string();
        let columns = app.url(&format!("{page}/columns"));

        // Without a surname the mapping cannot work: back to the form, with the reason.
        let no_surname = [("edition", "full"), ("elector_number", "Ref"), ("address1", "Line 1"), ("surname", "")];
        let refused = app.client.post(&columns).form(&no_surname).send().await.expect("post");
        assert_eq!(refused.status().as_u16(), 303);
        let back = refused.headers()["location"].to_str().expect("location").to_string();
        assert!(back.starts_with(&format!("{page}?error=")), "{back}");
        assert!(main_of(&app.page(&back).await.1).contains("needs the surname"));

        let mapping = [("edition", "update"), ("elector_number", "Ref"), ("surname", "Family name"),
            ("forename", "Given name"), ("address1", "Line 1"), ("postcode", "Post code"), ("title", "")];
        let mapped = app.client.post(&columns).form(&mapping).send().await.expect("post");
        assert_eq!(mapped.headers()["location"].to_str().expect("location"), page);
        let main = checked(&app, &page).await;
        assert!(main.contains("Hand-made mapping"), "{main}");
        assert!(main.contains("(monthly update)"), "{main}");
        assert!(main.contains("<span class=\"stat-n\">2</span><span class=\"stat-label\">New electors</span>"), "{main}");
        let commit = app.client.post(app.url("/api/register_commit")).header("accept", "text/html")
            .form(&[("gss", "E14000611"), ("id", id.as_str())]).send().await.expect("commit");
        assert_eq!(commit.status().as_u16(), 302);
        assert_eq!(app.count("SELECT COUNT(*) FROM electors WHERE surname = 'Quillfeather' AND left_at IS NULL").await, 2);

        // The next file with the same columns is read without asking.
        let again = upload(&app, &app.client, file.replace("Ann", "Anne").into_bytes()).await;
        let next = again.headers()["location"].to_str().expect("location").to_string();
        let main = checked(&app, &next).await;
        assert!(main.contains("Hand-made mapping"), "{main}");
        assert!(main.contains("<span class=\"stat-n\">1</span><span class=\"stat-label\">Changed</span>"), "{main}");
        app.stop().await;
    }

    async fn an_unreadable_upload_is_sent_back_with_the_reason(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        app.sign_in(ORGANISER).await;
        let response = upload(&app, &app.client, b"Elector Number Prefix,Elector Number,Elector Number Suffix,Elector Surname,Elector Forename,PostCode,Address1\r\nAA,1,0,Holt,Ann,NOT A POSTCODE,1 Peel Road\r\n".to_vec()).await;
        let page = response.headers()["location"].to_str().expect("location").to_string();
        let main = checked(&app, &page).await;
        assert!(main.contains("is not a UK postcode"), "{main}");
        let empty = upload(&app, &app.client, b"\r\n\r\n".to_vec()).await;
        let location = empty.headers()["location"].to_str().expect("location").to_string();
        assert!(location.starts_with("/seats/E14000611/register?error="), "{location}");
        let (_, html) = app.page(&location).await;
        assert!(main_of(&html).contains("has no header row"), "{html}");
        app.stop().await;
    }
}
