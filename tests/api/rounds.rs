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
    both: [an_office_sets_up_draws_and_opens_a_round, editing_a_pinned_rubric_makes_a_new_version_and_the_round_keeps_its_own, a_draw_replays_from_its_record_and_a_tampered_one_does_not, an_expired_committee_draws_nothing_and_opens_nothing, the_applicant_is_offered_only_rounds_that_take_the_target, two_windows_drawing_at_once_get_one_winner, a_rounds_change_shows_on_the_applicants_pages_at_once],
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
    assert!(page.text("#refused").contains("已被他人修改"));
    assert_eq!(page.input_value("c1_weight").as_deref(), Some("25"));
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
    assert!(all.iter().any(|o| o.contains("备案已过期")), "{all:?}");
    assert!(
        !all.iter()
            .any(|o| o.contains("待开始受理") || o.contains("已关闭")),
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
        why.contains("不受理中级") && why.contains("只评审电气专业"),
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
    assert!(page.text("#refused").contains("已被他人修改"));
    // The winner's panel is what the page now shows.
    assert!([7, 9].contains(&page.select(".panel-member").len()));
    assert_eq!(
        app.with_conn(|c| store::panels::draws(c, rid).unwrap())
            .len(),
        1
    );
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
