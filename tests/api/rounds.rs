//! Rounds belong to their committee's office: set up, a panel drawn from the pool and replayable
//! from its record, a chair designated, opened on the committee's rubric version of that day;
//! the rubric kept as content-addressed versions; the applicant offered only the rounds that
//! take what they apply for. On both databases, through the pages.

use crate::fixtures::now;
use crate::helpers::{assert_redirect_to, read_page, TestApp};
use guantong::demo::committees::ids;
use guantong::demo::DEMO_PASSWORD;
use guantong::domain::{AuditAction, RoundId, Subject};
use guantong::store::{self, audit};
use reqwest::StatusCode;

crate::tests!(
    both: [an_office_sets_up_draws_and_opens_a_round, a_panel_that_no_longer_fits_the_round_does_not_open, editing_a_pinned_rubric_makes_a_new_version_and_the_round_keeps_its_own, a_draw_replays_from_its_record_and_a_tampered_one_does_not, an_expired_committee_draws_nothing_and_opens_nothing, the_applicant_is_offered_only_rounds_that_take_the_target, two_windows_drawing_at_once_get_one_winner, a_rounds_change_shows_on_the_applicants_pages_at_once],
);

/// Everything `serve --demo` shows: the committees' rounds, panels and rubric versions too.
fn full_demo(app: &TestApp) {
    app.with_conn(|c| guantong::demo::load_all(c, now(app)).expect("the demo loads"));
}

/// The round's version, as its page's forms carry it.
fn ver(app: &TestApp, id: RoundId) -> String {
    app.with_conn(|c| {
        store::rounds::find(c, id)
            .unwrap()
            .unwrap()
            .version
            .to_string()
    })
}

fn committee(app: &TestApp) -> guantong::domain::CommitteeId {
    app.with_conn(|c| ids(c).unwrap().intermediate)
}

/// Creates a round through the office's form (the office is logged in) and returns its id.
async fn create_round(app: &TestApp, name: &str) -> RoundId {
    let cid = committee(app);
    let year = chrono::Datelike::year(&app.today());
    let list = format!("/committees/{cid}/rounds");
    let res = app
        .submit(
            &list,
            &list,
            &[
                ("name", name),
                ("levels", "中级"),
                ("submission_deadline", &format!("{year}-12-31")),
                ("scoring_deadline", &format!("{}-03-31", year + 1)),
            ],
        )
        .await;
    let location = res.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{location}");
    let id: i64 = location
        .split("/rounds/")
        .nth(1)
        .and_then(|s| s.split('?').next())
        .and_then(|s| s.parse().ok())
        .expect("the round's page");
    RoundId(id)
}

async fn an_office_sets_up_draws_and_opens_a_round(app: TestApp) {
    full_demo(&app);
    app.login("demo-office", DEMO_PASSWORD).await;
    let cid = committee(&app);
    let list = format!("/committees/{cid}/rounds");
    let page = app.page(&list).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.select(".round-status").iter().any(|s| s == "接受申报"));
    // Every problem at once, beside its field, what was typed kept.
    let res = app
        .submit(
            &list,
            &list,
            &[
                ("name", "测试批次"),
                ("submission_deadline", "2020-01-01"),
                ("scoring_deadline", "2019-12-31"),
            ],
        )
        .await;
    let page = read_page(res).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_errors_linked(&["levels", "submission_deadline", "scoring_deadline"]);
    assert_eq!(page.input_value("name").as_deref(), Some("测试批次"));
    let rid = create_round(&app, "测试批次").await;
    // A name taken is reported with the other problems, not after they are fixed.
    let res = app
        .submit(
            &list,
            &list,
            &[
                ("name", " 测试批次 "),
                ("levels", "中级"),
                ("submission_deadline", "2020-01-01"),
                ("scoring_deadline", "2019-12-31"),
            ],
        )
        .await;
    let page = read_page(res).await;
    page.assert_errors_linked(&["name", "submission_deadline", "scoring_deadline"]);
    let path = format!("/committees/{cid}/rounds/{rid}");
    let page = app.page(&path).await;
    assert_eq!(page.text(".round-status"), "设置中");
    assert!(page.text("#open-blockers").contains("尚未抽取"));
    assert!(
        page.select("#open-round").is_empty(),
        "no button that would fail"
    );
    // The draw: an even count and one below the committee's minimum are refused.
    for (count, says) in [("8", "单数"), ("5", "至少")] {
        let res = app
            .submit(
                &path,
                &format!("{path}/draw"),
                &[("count", count), ("version", &ver(&app, rid))],
            )
            .await;
        let page = read_page(res).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.field_error("count").unwrap().contains(says), "{count}");
        assert_eq!(page.input_value("count").as_deref(), Some(count));
    }
    let res = app
        .submit(
            &path,
            &format!("{path}/draw"),
            &[("count", "7"), ("version", &ver(&app, rid))],
        )
        .await;
    assert_redirect_to(&res, &format!("{path}?done=drawn#done"));
    let page = app.page(&path).await;
    assert_eq!(page.select(".panel-member").len(), 7);
    assert_eq!(page.select(".draw").len(), 1);
    assert!(page.text("#open-blockers").contains("主任委员"));
    // The chair and vice-chairs: one chair, vice-chairs fewer than half the panel.
    let members = app.with_conn(|c| store::panels::members(c, rid).unwrap());
    let e = |i: usize| members[i].entry.to_string();
    let res = app
        .submit(
            &path,
            &format!("{path}/designate"),
            &[("vice", &e(1)), ("version", &ver(&app, rid))],
        )
        .await;
    let page = read_page(res).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_errors_linked(&["chair"]);
    let res = app
        .submit(
            &path,
            &format!("{path}/designate"),
            &[
                ("chair", &e(0)),
                ("vice", &e(1)),
                ("vice", &e(2)),
                ("version", &ver(&app, rid)),
            ],
        )
        .await;
    assert_redirect_to(&res, &format!("{path}?done=designated#done"));
    let page = app.page(&path).await;
    assert_eq!(
        page.select(".member-role"),
        [
            "主任委员",
            "副主任委员",
            "副主任委员",
            "委员",
            "委员",
            "委员",
            "委员"
        ]
    );
    // Opened on the committee's current rubric version, pinned.
    let res = app
        .submit(
            &path,
            &format!("{path}/open"),
            &[("version", &ver(&app, rid))],
        )
        .await;
    assert_redirect_to(&res, &format!("{path}?done=opened#done"));
    let (round, current) = app.with_conn(|c| {
        (
            store::rounds::find(c, rid).unwrap().unwrap(),
            store::rubrics::current(c, cid).unwrap(),
        )
    });
    assert!(round.opened_at.is_some());
    assert_eq!(round.rubric, current);
    let page = app.page(&path).await;
    assert_eq!(page.text(".round-status"), "接受申报");
    assert!(page.select("#draw-panel").is_empty() && page.select("#discard-panel").is_empty());
    // The panel of an open round stays as drawn.
    let token = page.csrf();
    let version = round.version.to_string();
    let res = app
        .post_raw(
            &format!("{path}/discard"),
            &[
                ("csrf_token", &token),
                ("version", &version),
                ("reason", "换人"),
            ],
        )
        .await;
    let page = read_page(res).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.text("#refused").contains("已开始受理"));
    let entries =
        |m: Vec<store::panels::Member>| m.into_iter().map(|m| m.entry).collect::<Vec<_>>();
    assert_eq!(
        entries(app.with_conn(|c| store::panels::members(c, rid).unwrap())),
        entries(members)
    );
    let actions: Vec<AuditAction> = app
        .with_conn(|c| audit::for_subject(c, &Subject::Round(rid)).unwrap())
        .into_iter()
        .map(|r| r.action)
        .collect();
    for a in [
        AuditAction::RoundCreate,
        AuditAction::PanelDraw,
        AuditAction::PanelDesignate,
        AuditAction::RoundOpen,
    ] {
        assert!(actions.contains(&a), "{a:?} in {actions:?}");
    }
    // The admin and the supervisor read the round; neither sets it up.
    for login in ["demo-admin", "demo-supervisor"] {
        let other = app.share();
        other.login(login, DEMO_PASSWORD).await;
        let page = other.page(&path).await;
        assert_eq!(page.status, StatusCode::OK, "{login}");
        assert!(page.select("form[action$='/close']").is_empty(), "{login}");
        let res = other
            .post_raw(
                &format!("{path}/close"),
                &[
                    ("csrf_token", &other.page("/account").await.csrf()),
                    ("version", &version),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{login}");
    }
}

async fn a_panel_that_no_longer_fits_the_round_does_not_open(app: TestApp) {
    full_demo(&app);
    app.login("demo-office", DEMO_PASSWORD).await;
    let cid = committee(&app);
    let rid = create_round(&app, "复核批次").await;
    let path = format!("/committees/{cid}/rounds/{rid}");
    let res = app
        .submit(
            &path,
            &format!("{path}/draw"),
            &[("count", "7"), ("version", &ver(&app, rid))],
        )
        .await;
    assert_redirect_to(&res, &format!("{path}?done=drawn#done"));
    let members = app.with_conn(|c| store::panels::members(c, rid).unwrap());
    let chair = members[0].entry.to_string();
    let vice = members[1].entry.to_string();
    // The same vice-chair twice is refused beside the field, not stored as two.
    let page = read_page(
        app.submit(
            &path,
            &format!("{path}/designate"),
            &[
                ("chair", chair.as_str()),
                ("vice", vice.as_str()),
                ("vice", vice.as_str()),
                ("version", &ver(&app, rid)),
            ],
        )
        .await,
    )
    .await;
    page.assert_errors_linked(&["vice"]);
    let res = app
        .submit(
            &path,
            &format!("{path}/designate"),
            &[("chair", chair.as_str()), ("version", &ver(&app, rid))],
        )
        .await;
    assert_redirect_to(&res, &format!("{path}?done=designated#done"));
    // A member taken out of the pool after the draw: the round does not open on that panel.
    let office = app.with_conn(|c| crate::fixtures::actor(c, "demo-office"));
    let removed = app.with_conn(|c| {
        let e = store::pool::find(c, members[3].entry).unwrap().unwrap();
        guantong::service::pool::set_removed(
            c,
            &office,
            cid,
            e.id,
            e.version,
            Some("退休"),
            now(&app),
        )
        .unwrap();
        e.name
    });
    let page = app.page(&path).await;
    assert!(
        page.text("#open-blockers")
            .contains(&format!("{removed}已移出专家库")),
        "{}",
        page.text("#open-blockers")
    );
    let res = app
        .submit(
            &path,
            &format!("{path}/open"),
            &[("version", &ver(&app, rid))],
        )
        .await;
    let page = read_page(res).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.text("#refused").contains("已移出专家库"));
    let round = app.with_conn(|c| store::rounds::find(c, rid).unwrap().unwrap());
    assert!(round.opened_at.is_none() && round.rubric.is_none());
    // A committee organised by specialty draws from that specialty only, though its pool
    // holds others.
    let senior = app.with_conn(|c| ids(c).unwrap().senior);
    let (draw, pool) = app.with_conn(|c| {
        let round = guantong::demo::rounds::senior_round(c, now(&app)).unwrap();
        (
            store::panels::draws(c, round).unwrap().remove(0),
            store::pool::of_committee(c, senior).unwrap(),
        )
    });
    let specialty = |id: i64| {
        pool.iter()
            .find(|e| e.id.0 == id)
            .unwrap()
            .specialty
            .clone()
    };
    let candidates = guantong::panel::parse_ids(&draw.candidates).unwrap();
    assert!(candidates.iter().all(|id| specialty(*id) == "机械"));
    assert!(pool.iter().any(|e| e.active && e.specialty != "机械"));
    assert!(draw.filters.contains("机械专业"), "{}", draw.filters);
}

async fn editing_a_pinned_rubric_makes_a_new_version_and_the_round_keeps_its_own(app: TestApp) {
    full_demo(&app);
    app.login("demo-office", DEMO_PASSWORD).await;
    let cid = committee(&app);
    let main = app.with_conn(|c| guantong::demo::rounds::main_round(c, now(&app)).unwrap());
    let pinned = app.with_conn(|c| store::rounds::find(c, main).unwrap().unwrap().rubric);
    let versions = || app.with_conn(|c| store::rubrics::of_committee(c, cid).unwrap().len());
    // The demo edited its rubric after the main round pinned the default.
    assert_eq!(versions(), 2);
    let current = app.with_conn(|c| store::rubrics::current(c, cid).unwrap());
    assert_ne!(pinned, current);
    let page = app.page(&format!("/committees/{cid}/rubric")).await;
    let rows = page.select(".rubric-version");
    assert_eq!(rows.len(), 2);
    assert!(rows[1].contains("中级职称评审（演示）"), "{rows:?}");
    // The edit form: problems beside their fields, every one at once.
    let edit = format!("/committees/{cid}/rubric/edit");
    let edit = edit.as_str();
    let form = app.page(edit).await;
    let mut fields: Vec<(String, String)> = form
        .html
        .select(&scraper::Selector::parse("form[action$='/rubric'] input[type=text], form[action$='/rubric'] textarea, form[action$='/rubric'] input[type=hidden], form[action$='/rubric'] input[checked]").unwrap())
        .filter_map(|e| {
            let name = e.value().attr("name")?.to_string();
            let value = match e.value().name() {
                "textarea" => e.text().collect(),
                _ => e.value().attr("value").unwrap_or("").to_string(),
            };
            Some((name, value))
        })
        .collect();
    let original = fields.clone();
    let set = |fields: &mut Vec<(String, String)>, name: &str, value: &str| {
        for f in fields.iter_mut().filter(|f| f.0 == name) {
            f.1 = value.to_string();
        }
    };
    let post = |fields: Vec<(String, String)>, action: &'static str| {
        post_rubric(&app, cid, fields, action)
    };
    let mut bad = fields.clone();
    set(&mut bad, "c1_weight", "50");
    set(&mut bad, "c2_key", "ability");
    set(&mut bad, "c0_kind", "score");
    set(&mut bad, "c0_max", "100");
    set(&mut bad, "c0_weight", "10");
    let page = read_page(post(bad, "save").await).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    let summary: Vec<String> = page.error_summary().into_iter().map(|(h, _)| h).collect();
    for field in ["#criteria", "#c2_key", "#weights"] {
        assert!(summary.iter().any(|h| h == field), "{field} in {summary:?}");
    }
    assert!(page.field_error("c2_key").unwrap().contains("重复"));
    assert_eq!(page.input_value("c1_weight").as_deref(), Some("50"));
    assert_eq!(versions(), 2, "nothing stored");
    // A preview shows the typed rubric as an expert will see it, and saves nothing.
    set(&mut fields, "c1_weight", "25");
    set(&mut fields, "c3_weight", "30");
    let page = read_page(post(fields.clone(), "preview").await).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.select("#preview").is_empty());
    assert!(page
        .select(".rubric-preview .tag")
        .iter()
        .any(|t| t.contains("权重 25%")));
    assert_eq!(versions(), 2);
    // Saved: a new version; the open round keeps the one it pinned.
    let res = post(fields.clone(), "save").await;
    assert_redirect_to(&res, &format!("/committees/{cid}/rubric?done=saved#done"));
    assert_eq!(versions(), 3);
    let still = app.with_conn(|c| store::rounds::find(c, main).unwrap().unwrap().rubric);
    assert_eq!(still, pinned);
    // The same form again (its base is now stale): told, what was typed kept.
    let page = read_page(post(fields.clone(), "save").await).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    let refused = page.text("#refused");
    assert!(
        refused.contains("已被他人修改") && refused.contains("修改了“"),
        "{refused}"
    );
    assert_eq!(page.input_value("c1_weight").as_deref(), Some("25"));
    // The refused form now stands on the current version: saving it again is no dead end.
    let current_hash = app.with_conn(|c| {
        let id = store::rubrics::current(c, cid).unwrap().unwrap();
        store::rubrics::find(c, id).unwrap().unwrap().hash
    });
    assert_eq!(page.input_value("based_on"), Some(current_hash));
    // From a fresh form, unchanged content makes no new version.
    let fresh = app.page(edit).await;
    let based_on = fresh.attr("input[name=based_on]", "value").unwrap();
    set(&mut fields, "based_on", &based_on);
    let res = post(fields, "save").await;
    assert_redirect_to(
        &res,
        &format!("/committees/{cid}/rubric?done=unchanged#done"),
    );
    assert_eq!(versions(), 3);
    // The content of an earlier version makes that version current again, and says so.
    let mut back = original;
    set(&mut back, "based_on", &based_on);
    let res = post(back, "save").await;
    assert_redirect_to(&res, &format!("/committees/{cid}/rubric?done=earlier#done"));
    assert_eq!(versions(), 3);
    assert_eq!(
        app.with_conn(|c| store::rubrics::current(c, cid).unwrap()),
        current
    );
    let page = app
        .page(&format!("/committees/{cid}/rubric?done=earlier"))
        .await;
    assert!(
        page.text("#done").contains("已改用该版本"),
        "{}",
        page.text("#done")
    );
}

/// Posts the rubric form's fields (its token taken afresh) with the button pressed.
async fn post_rubric(
    app: &TestApp,
    cid: guantong::domain::CommitteeId,
    fields: Vec<(String, String)>,
    action: &'static str,
) -> reqwest::Response {
    let mut all: Vec<(&str, &str)> = fields
        .iter()
        .filter(|(k, _)| k != "csrf_token")
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    all.push(("action", action));
    let edit = format!("/committees/{cid}/rubric/edit");
    app.submit(&edit, &format!("/committees/{cid}/rubric"), &all)
        .await
}

async fn a_draw_replays_from_its_record_and_a_tampered_one_does_not(app: TestApp) {
    use diesel::prelude::*;
    full_demo(&app);
    let cid = committee(&app);
    let main = app.with_conn(|c| guantong::demo::rounds::main_round(c, now(&app)).unwrap());
    let draws = app.with_conn(|c| store::panels::draws(c, main).unwrap());
    // The demo discarded a first draw with its reason, then drew again.
    assert_eq!(draws.len(), 2);
    assert!(draws[1].discarded_at.is_some() && !draws[1].discard_reason.is_empty());
    assert!(draws[0].discarded_at.is_none());
    // The record's candidates are the pool entries the filters keep, in id order, and the
    // recorded panel is what the pure draw gives for them.
    let kept = &draws[0];
    let candidates = guantong::panel::parse_ids(&kept.candidates).unwrap();
    let pool: Vec<i64> = app.with_conn(|c| {
        store::pool::of_committee(c, cid)
            .unwrap()
            .into_iter()
            .filter(|e| e.active)
            .map(|e| e.id.0)
            .collect()
    });
    let mut sorted = candidates.clone();
    sorted.sort_unstable();
    assert_eq!(candidates, sorted);
    assert!(candidates.iter().all(|id| pool.contains(id)));
    let replay = guantong::service::panels::replay(kept);
    assert!(replay.matches());
    let members: Vec<i64> = app
        .with_conn(|c| store::panels::members(c, main).unwrap())
        .into_iter()
        .map(|m| m.entry.0)
        .collect();
    assert_eq!(members, replay.recorded);
    app.login("demo-supervisor", DEMO_PASSWORD).await;
    let path = format!("/committees/{cid}/rounds/{main}/draws/{}", kept.id);
    let page = app.page(&path).await;
    assert!(page.text("#replay-result").contains("复核一致"));
    assert_eq!(page.select(".drawn li").len(), 9);
    // A record changed afterwards no longer replays to its panel, and the page says so.
    let mut seed = kept.seed.clone().into_bytes();
    seed[0] = if seed[0] == b'0' { b'1' } else { b'0' };
    let seed = String::from_utf8(seed).unwrap();
    app.with_conn(|c| {
        diesel::update(store::schema::panel_draws::table.find(kept.id.0))
            .set(store::schema::panel_draws::seed.eq(&seed))
            .execute(c)
            .unwrap()
    });
    let page = app.page(&path).await;
    assert!(page.text("#replay-result").contains("复核不一致"));
}

async fn an_expired_committee_draws_nothing_and_opens_nothing(app: TestApp) {
    full_demo(&app);
    app.login("demo-office-expired", DEMO_PASSWORD).await;
    let cid = app.with_conn(|c| ids(c).unwrap().expired);
    let rounds = app.with_conn(|c| store::rounds::of_committee(c, cid).unwrap());
    let prepared = rounds.iter().find(|r| r.opened_at.is_none()).unwrap();
    let path = format!("/committees/{cid}/rounds/{}", prepared.id);
    let page = app.page(&path).await;
    assert!(page.text("#standing-refusal").contains("过期"));
    assert!(page.text("#open-blockers").contains("过期"));
    assert!(page.select("#open-round").is_empty());
    assert!(page.select("#draw-panel").is_empty());
    let token = page.csrf();
    let version = prepared.version.to_string();
    for (action, fields) in [("draw", vec![("count", "11")]), ("open", vec![])] {
        let mut all = vec![
            ("csrf_token", token.as_str()),
            ("version", version.as_str()),
        ];
        all.extend(fields);
        let res = app.post_raw(&format!("{path}/{action}"), &all).await;
        let page = read_page(res).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{action}");
        assert!(page.text("#refused").contains("过期"), "{action}");
    }
    // Its open round's rules govern the cases it holds: not changed while it may not act;
    // closing, which only stops submissions, is allowed.
    let open = rounds.iter().find(|r| r.opened_at.is_some()).unwrap();
    let open_path = format!("/committees/{cid}/rounds/{}", open.id);
    let seen = app
        .page(&open_path)
        .await
        .input_value("settings_seen")
        .unwrap();
    let page = read_page(
        app.submit(
            &open_path,
            &format!("{open_path}/settings"),
            &[("pass_fraction", "3/4"), ("settings_seen", &seen)],
        )
        .await,
    )
    .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.text("#refused").contains("过期"),
        "{}",
        page.text("#refused")
    );
    assert_eq!(page.input_value("pass_fraction").as_deref(), Some("3/4"));
    let close = |confirm: &'static str| {
        let (app, open_path, version) = (&app, &open_path, open.version.to_string());
        async move {
            app.submit(
                open_path,
                &format!("{open_path}/close"),
                &[("version", version.as_str()), ("confirm", confirm)],
            )
            .await
        }
    };
    // Closing cannot be undone: the first press asks, and changes nothing.
    let page = read_page(close("").await).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.select("#confirm-close-button").is_empty());
    let still = app.with_conn(|c| store::rounds::find(c, open.id).unwrap().unwrap());
    assert!(still.closed_at.is_none());
    assert_eq!(close("yes").await.status(), StatusCode::SEE_OTHER);
    let closed = app.with_conn(|c| store::rounds::find(c, open.id).unwrap().unwrap());
    assert!(closed.closed_at.is_some());
    let after = app.with_conn(|c| store::rounds::find(c, prepared.id).unwrap().unwrap());
    assert!(after.opened_at.is_none());
    assert!(app
        .with_conn(|c| store::panels::draws(c, prepared.id).unwrap())
        .is_empty());
}

async fn the_applicant_is_offered_only_rounds_that_take_the_target(app: TestApp) {
    full_demo(&app);
    app.login("demo-applicant", DEMO_PASSWORD).await;
    let res = app
        .submit("/applicant", "/applicant/applications", &[])
        .await;
    let task_list = res.headers()["location"].to_str().unwrap().to_string();
    let target = format!("{task_list}/target");
    let labels = |page: &crate::helpers::Page| page.select("#round_id option");
    // Nothing chosen yet: every open round, each naming its committee and levels; the round
    // being set up and the closed one are not offered.
    let page = app.page(&target).await;
    let all = labels(&page);
    assert!(
        all.iter()
            .any(|o| o.contains("中级职称评审（演示）") && o.contains("受理中级、初级")),
        "{all:?}"
    );
    // Nor the round of the committee whose registration lapsed: it takes no submissions.
    assert!(
        !all.iter()
            .any(|o| o.contains("待开始受理") || o.contains("已关闭") || o.contains("备案已过期")),
        "{all:?}"
    );
    // With 中级 chosen, only the rounds that take 中级.
    let res = app
        .submit(
            &target,
            &target,
            &[
                ("series", "工程"),
                ("specialty", "机械"),
                ("level", "中级"),
                ("action", "later"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = app.page(&target).await;
    let offered = labels(&page);
    assert!(
        offered.iter().any(|o| o.contains("中级职称评审（演示）")),
        "{offered:?}"
    );
    assert!(
        !offered.iter().any(|o| o.contains("备案已过期")),
        "{offered:?}"
    );
    // A round that does not take the level is refused beside the field.
    let expired_round = app.with_conn(|c| {
        let expired = ids(c).unwrap().expired;
        store::rounds::of_committee(c, expired)
            .unwrap()
            .into_iter()
            .find(|r| r.opened_at.is_some())
            .unwrap()
            .id
    });
    let res = app
        .submit(
            &target,
            &target,
            &[
                ("round_id", &expired_round.to_string()),
                ("series", "工程"),
                ("specialty", "机械"),
                ("level", "中级"),
                ("action", "later"),
            ],
        )
        .await;
    let page = read_page(res).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    let why = page.field_error("round_id").unwrap();
    assert!(
        why.contains("暂不受理申报") && why.contains("到期"),
        "{why}"
    );
    // The demo applicant already applies in the main round (one application a round): a
    // fresh round of the same committee is taken.
    let fresh = app.with_conn(|c| crate::fixtures::open_round(c, "申报人可选的批次", now(&app)));
    let version = app.page(&target).await.input_value("version").unwrap();
    let res = app
        .submit(
            &target,
            &target,
            &[
                ("version", &version),
                ("round_id", &fresh.to_string()),
                ("series", "工程"),
                ("specialty", "机械"),
                ("level", "中级"),
                ("action", "later"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
}

async fn two_windows_drawing_at_once_get_one_winner(app: TestApp) {
    full_demo(&app);
    app.login("demo-office", DEMO_PASSWORD).await;
    let cid = committee(&app);
    let rid = create_round(&app, "两个窗口的批次").await;
    let path = format!("/committees/{cid}/rounds/{rid}");
    let other = app.share();
    other.login("demo-office", DEMO_PASSWORD).await;
    let (one, two) = (app.page(&path).await, other.page(&path).await);
    let version = one.input_value("version").unwrap();
    assert_eq!(
        two.input_value("version").as_deref(),
        Some(version.as_str())
    );
    let draw = format!("{path}/draw");
    let (t1, t2) = (one.csrf(), two.csrf());
    let f1 = [
        ("csrf_token", t1.as_str()),
        ("version", version.as_str()),
        ("count", "7"),
    ];
    let f2 = [
        ("csrf_token", t2.as_str()),
        ("version", version.as_str()),
        ("count", "9"),
    ];
    let (a, b) = tokio::join!(app.post_raw(&draw, &f1), other.post_raw(&draw, &f2));
    let mut statuses = [a.status(), b.status()];
    statuses.sort();
    assert_eq!(
        statuses,
        [StatusCode::SEE_OTHER, StatusCode::UNPROCESSABLE_ENTITY]
    );
    let loser = if a.status() == StatusCode::SEE_OTHER {
        b
    } else {
        a
    };
    let page = read_page(loser).await;
    assert!(page.text("#refused").contains("已被修改"));
    // The winner's panel is what the page now shows.
    assert!([7, 9].contains(&page.select(".panel-member").len()));
    assert_eq!(
        app.with_conn(|c| store::panels::draws(c, rid).unwrap())
            .len(),
        1
    );
    // Two windows editing the set-up: the second is told which fields now differ from what
    // it typed, and its typing is kept.
    let (one, two) = (app.page(&path).await, other.page(&path).await);
    let version = one.input_value("version").unwrap();
    let year = chrono::Datelike::year(&app.today());
    let edit = |who: &'static str, page: &crate::helpers::Page, name: &str| {
        let token = page.csrf();
        let fields: Vec<(String, String)> = vec![
            ("csrf_token".into(), token),
            ("version".into(), version.clone()),
            ("name".into(), name.into()),
            ("levels".into(), "中级".into()),
            ("submission_deadline".into(), format!("{year}-12-31")),
            ("scoring_deadline".into(), format!("{}-03-31", year + 1)),
        ];
        let (client, path) = (if who == "one" { &app } else { &other }, path.clone());
        async move {
            let f: Vec<(&str, &str)> = fields
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            client.post_raw(&path, &f).await
        }
    };
    assert_eq!(
        edit("one", &one, "改名的批次").await.status(),
        StatusCode::SEE_OTHER
    );
    let page = read_page(edit("two", &two, "另一个名字").await).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    let refused = page.text("#refused");
    assert!(
        refused.contains("批次名称（现为“改名的批次”）"),
        "{refused}"
    );
    assert!(!refused.contains("评分截止日期"), "{refused}");
    assert_eq!(page.input_value("name").as_deref(), Some("另一个名字"));
}

/// Pages keep the rounds for a minute, but a change made on this server shows at once: the
/// applicant's task list names the round its eligibility is reckoned by.
async fn a_rounds_change_shows_on_the_applicants_pages_at_once(app: TestApp) {
    use diesel::prelude::*;
    use guantong::store::schema::applications;
    full_demo(&app);
    let cid = committee(&app);
    let round = app.with_conn(|c| guantong::demo::rounds::main_round(c, now(&app)).unwrap());
    let applicant = app.share();
    applicant.login("demo-applicant", DEMO_PASSWORD).await;
    let res = applicant
        .submit("/applicant", "/applicant/applications", &[])
        .await;
    let task_list = res.headers()["location"].to_str().unwrap().to_string();
    let draft: i64 = task_list.rsplit('/').next().unwrap().parse().unwrap();
    app.with_conn(|c| {
        diesel::update(applications::table.find(draft))
            .set(applications::round_id.eq(round.0))
            .execute(c)
            .unwrap()
    });
    let basis = applicant.page(&task_list).await.text(".verdict-basis");
    assert!(basis.contains("中级职称评审（演示）"), "{basis}");
    app.login("demo-office", DEMO_PASSWORD).await;
    let path = format!("/committees/{cid}/rounds/{round}");
    let page = app.page(&path).await;
    let deadline = page.input_value("submission_deadline").unwrap();
    let scoring = page.input_value("scoring_deadline").unwrap();
    let res = app
        .submit(
            &path,
            &path,
            &[
                ("version", &ver(&app, round)),
                ("name", "改名后的批次"),
                ("levels", "中级"),
                ("levels", "初级"),
                ("submission_deadline", &deadline),
                ("reference_date", &deadline),
                ("scoring_deadline", &scoring),
            ],
        )
        .await;
    assert_redirect_to(&res, &format!("{path}?done=updated#done"));
    let basis = applicant.page(&task_list).await.text(".verdict-basis");
    assert!(basis.contains("改名后的批次"), "{basis}");
}
