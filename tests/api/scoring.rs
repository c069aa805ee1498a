//! Scoring: an expert saves drafts and submits when complete (what is missing named beside its
//! field, what was typed kept, nothing stored); a stale save is refused with both versions shown
//! and the text kept; an expert opens only their own cases' reviews and sees the others' only
//! after submitting (as the round is set); reopening is the office's, with a reason, and keeps
//! the history; closing moves exactly the complete cases, once, with two instances racing; the
//! office closes by hand and extends named cases; nothing of it reaches an application's
//! timeline. The demo's 中级 round, mid-scoring, is the fixture: 罗静 fully scored with a veto,
//! 严伟 scored by all (demo-expert1 too), 姚丹 with demo-expert1's draft, 钱坤 with one review
//! in and its deadline extended.

use crate::fixtures::{actor, demo, of, on};
use crate::helpers::{read_page, TestApp};
use diesel::prelude::*;
use guantong::demo::DEMO_PASSWORD;
use guantong::domain::settings::{Scope, Setting};
use guantong::domain::{ApplicationId, PoolEntryId, State};
use guantong::service::scoring;
use guantong::store::schema::{audit_log, reviews as rv};
use guantong::store::{self, assignments, reviews, DbConnection};
use reqwest::StatusCode;

crate::tests!(
    both: [
        an_expert_saves_drafts_and_submits_when_complete,
        a_stale_save_is_refused_with_both_versions_and_keeps_the_text,
        experts_open_only_their_own_reviews_and_see_others_after_submitting,
        reopening_is_the_offices_with_a_reason_and_keeps_the_history,
        closing_moves_exactly_the_complete_cases_once_with_two_racing,
        the_office_closes_by_hand_and_extends_named_cases,
    ],
);

fn state_of(c: &mut DbConnection, id: ApplicationId) -> State {
    store::applications::find(c, id).unwrap().unwrap().state
}

fn review_of(c: &mut DbConnection, id: ApplicationId, login: &str) -> Option<reviews::Review> {
    let who = actor(c, login);
    reviews::of_case(c, id)
        .unwrap()
        .into_iter()
        .find(|r| r.account_id == who.id.0)
}

fn url(id: ApplicationId) -> String {
    format!("/expert/cases/{id}/review")
}

/// A complete scoring form with `version`.
fn complete(version: &str) -> Vec<(&'static str, String)> {
    vec![
        ("version", version.to_string()),
        ("m_ethics", "pass".into()),
        ("m_ethics_comment", "材料真实".into()),
        ("m_ability", "81".into()),
        ("m_performance", "77".into()),
        ("m_achievements", "90".into()),
        ("opinion", "技能扎实，业绩突出。".into()),
    ]
}

fn borrowed<'a>(f: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    f.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

fn audit_rows(c: &mut DbConnection, subject: &str) -> i64 {
    audit_log::table
        .filter(audit_log::subject.eq(subject))
        .count()
        .get_result(c)
        .unwrap()
}

async fn an_expert_saves_drafts_and_submits_when_complete(app: TestApp) {
    demo(&app);
    let case = app.with_conn(|c| of(c, "姚丹"));
    let before = app.with_conn(|c| review_of(c, case, "demo-expert1").unwrap());
    assert!(!before.submitted(), "demo-expert1 has a draft to finish");
    let timeline = app.with_conn(|c| audit_rows(c, &format!("application:{case}")));
    let expert = app.share();
    expert.login("demo-expert1", DEMO_PASSWORD).await;
    let home = expert.page("/expert").await;
    assert!(home
        .select(".todo")
        .iter()
        .any(|t| t.contains("草稿已保存")));
    let page = expert.page(&url(case)).await;
    assert_eq!(
        page.input_value("version"),
        Some(before.version.to_string())
    );
    assert!(page.text("#peers-hidden").contains("提交本人评分后"));

    // Submitted incomplete: everything missing is named beside its field, what was typed stays.
    let v = before.version.to_string();
    let typed = [
        ("version", v.as_str()),
        ("action", "submit"),
        ("m_ethics", "fail"),
        ("m_ethics_comment", ""),
        ("m_ability", "八十"),
        ("m_performance", "101"),
        ("m_achievements", "88"),
        ("m_achievements_comment", "成果已推广"),
        ("opinion", ""),
    ];
    let res = expert.submit(&url(case), &url(case), &typed).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let p = read_page(res).await;
    p.assert_errors_linked(&["m_ethics_comment", "m_ability", "m_performance", "opinion"]);
    assert_eq!(p.input_value("m_ability"), Some("八十".into()));
    assert_eq!(p.input_value("m_achievements"), Some("88".into()));
    assert!(p.text("#m_achievements_comment").contains("成果已推广"));
    let same = app.with_conn(|c| review_of(c, case, "demo-expert1").unwrap());
    assert_eq!(same, before, "nothing stored");

    // A draft need only be well formed; the version moves on.
    let draft = [
        ("version", v.as_str()),
        ("action", "save"),
        ("m_ethics", "pass"),
        ("m_ability", "80"),
        ("opinion", "初步意见"),
    ];
    let res = expert.submit(&url(case), &url(case), &draft).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let saved = app.with_conn(|c| review_of(c, case, "demo-expert1").unwrap());
    assert_eq!(saved.version, before.version + 1);
    assert_eq!(saved.opinion, "初步意见");
    assert!(!saved.submitted());

    // Complete: submitted, kept in the history, counted in the case's aggregates.
    let v2 = saved.version.to_string();
    let mut f = complete(&v2);
    f.push(("action", "submit".into()));
    let res = expert.submit(&url(case), &url(case), &borrowed(&f)).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (done, k, history) = app.with_conn(|c| {
        let r = review_of(c, case, "demo-expert1").unwrap();
        let k = assignments::find_case(c, case).unwrap().unwrap();
        let h = reviews::history_of(c, case, PoolEntryId(r.entry_id)).unwrap();
        (r, k, h)
    });
    assert!(done.submitted());
    // 81 × 35 % + 77 × 40 % + 90 × 25 % = 81.65
    assert_eq!(done.total_milli, 81_650);
    assert_eq!(k.submitted, 3, "the case counts the third review");
    let totals: Vec<i64> = app.with_conn(|c| {
        reviews::of_case(c, case)
            .unwrap()
            .iter()
            .filter(|r| r.submitted())
            .map(|r| r.total_milli)
            .collect()
    });
    let sum: i64 = totals.iter().sum();
    assert_eq!(
        k.mean_milli,
        (2 * sum + 3) / 6,
        "the mean of the three, half up"
    );
    assert_eq!(
        k.spread_milli,
        totals.iter().max().unwrap() - totals.iter().min().unwrap()
    );
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].event, reviews::EVENT_SUBMITTED);
    // The others' reviews show now, without their names.
    let page = expert.page(&url(case)).await;
    assert_eq!(page.select(".peer-reviews .peer").len(), 2);
    assert!(
        page.select("form.scoring").is_empty(),
        "read only once submitted"
    );
    // Sent again (a second tab): refused, what was typed kept.
    let res = expert.submit(&url(case), &url(case), &borrowed(&f)).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let p = read_page(res).await;
    assert!(p.text("#refused").contains("已提交"));
    // Saves are audited on the round, never on the application's timeline.
    app.with_conn(|c| {
        assert_eq!(audit_rows(c, &format!("application:{case}")), timeline);
        let round = assignments::find_case(c, case).unwrap().unwrap().round_id;
        let actions: Vec<String> = audit_log::table
            .filter(audit_log::subject.eq(format!("round:{round}")))
            .select(audit_log::action)
            .load(c)
            .unwrap();
        assert!(actions.iter().any(|a| a == "review.save"));
        assert!(actions.iter().any(|a| a == "review.submit"));
    });
}

async fn a_stale_save_is_refused_with_both_versions_and_keeps_the_text(app: TestApp) {
    demo(&app);
    let case = app.with_conn(|c| of(c, "姚丹"));
    let v = app
        .with_conn(|c| review_of(c, case, "demo-expert1").unwrap())
        .version
        .to_string();
    let (tab1, tab2) = (app.share(), app.share());
    tab1.login("demo-expert1", DEMO_PASSWORD).await;
    tab2.login("demo-expert1", DEMO_PASSWORD).await;
    let first = [
        ("version", v.as_str()),
        ("action", "save"),
        ("m_ability", "66"),
        ("opinion", "第一个窗口的意见"),
    ];
    let res = tab1.submit(&url(case), &url(case), &first).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let stored = app.with_conn(|c| review_of(c, case, "demo-expert1").unwrap());
    // The second tab saves over the version it saw: refused, both versions shown.
    let second = [
        ("version", v.as_str()),
        ("action", "save"),
        ("m_ability", "92"),
        ("opinion", "第二个窗口写了很长的意见"),
    ];
    let res = tab2.submit(&url(case), &url(case), &second).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let p = read_page(res).await;
    assert!(p.text("#refused").contains("另一个窗口"));
    assert_eq!(p.input_value("m_ability"), Some("92".into()));
    assert!(p.text("#opinion").contains("第二个窗口写了很长的意见"));
    let stored_text = p.select(".stored-version").join(" ");
    assert!(stored_text.contains("66 分"), "{stored_text}");
    assert!(stored_text.contains("第一个窗口的意见"), "{stored_text}");
    assert_eq!(p.input_value("version"), Some(stored.version.to_string()));
    assert_eq!(
        app.with_conn(|c| review_of(c, case, "demo-expert1").unwrap()),
        stored,
        "the refused save changed nothing"
    );
    // Saved again from that page, knowingly: it wins.
    let again = [
        ("version", &*stored.version.to_string()),
        ("action", "save"),
        ("m_ability", "92"),
        ("opinion", "第二个窗口写了很长的意见"),
    ]
    .map(|(k, v)| (k, v.to_string()));
    let res = tab2.submit(&url(case), &url(case), &borrowed(&again)).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let r = app.with_conn(|c| review_of(c, case, "demo-expert1").unwrap());
    assert_eq!(r.opinion, "第二个窗口写了很长的意见");
}

async fn experts_open_only_their_own_reviews_and_see_others_after_submitting(app: TestApp) {
    let now = demo(&app);
    let (mine, not_mine) = app.with_conn(|c| (of(c, "严伟"), of(c, "罗静")));
    let expert = app.share();
    expert.login("demo-expert1", DEMO_PASSWORD).await;
    // Not theirs: 404 to read and to save.
    assert_eq!(
        expert.get(&url(not_mine)).await.status(),
        StatusCode::NOT_FOUND
    );
    let f = complete("0");
    let page = expert.page(&url(mine)).await;
    let token = page.csrf();
    let mut fields = borrowed(&f);
    fields.push(("csrf_token", &token));
    assert_eq!(
        expert.post_raw(&url(not_mine), &fields).await.status(),
        StatusCode::NOT_FOUND
    );
    // Another expert of the pool, not on this case: 404 too; and the office's page is not theirs.
    let other = app.share();
    other.login("demo-expert3", DEMO_PASSWORD).await;
    assert_eq!(other.get(&url(mine)).await.status(), StatusCode::NOT_FOUND);
    let office_page = format!("/office/applications/{mine}/reviews");
    assert_eq!(
        expert.get(&office_page).await.status(),
        StatusCode::FORBIDDEN
    );
    // Submitted on 严伟: the other two reviews show, without names.
    let names: Vec<String> = app.with_conn(|c| {
        assignments::of_case(c, mine)
            .unwrap()
            .iter()
            .map(|a| {
                store::accounts::find(c, guantong::domain::AccountId(a.account_id))
                    .unwrap()
                    .unwrap()
                    .display_name
            })
            .collect()
    });
    let page = expert.page(&url(mine)).await;
    assert_eq!(page.select(".peer-reviews .peer").len(), 2);
    let peers = page.text(".peer-reviews");
    let me = app.with_conn(|c| {
        let id = actor(c, "demo-expert1").id;
        store::accounts::find(c, id).unwrap().unwrap().display_name
    });
    for n in names.iter().filter(|n| **n != me) {
        assert!(!peers.contains(n.as_str()), "{n} named to another expert");
    }
    // The round set to show each expert only their own: nothing of the others.
    app.with_conn(|c| {
        let round = assignments::find_case(c, mine).unwrap().unwrap().round_id;
        let office = actor(c, "demo-office");
        let scope = Scope::Round(guantong::domain::RoundId(round));
        let seen = guantong::service::settings::load(c)
            .unwrap()
            .fingerprint(scope);
        guantong::service::settings::set(
            c,
            &office,
            scope,
            &[(Setting::PeerReviewsAfterSubmit, "否".into())],
            &seen,
            now,
        )
        .unwrap();
        let settings = guantong::service::settings::load(c).unwrap();
        let me = actor(c, "demo-expert1");
        let round_of = |c: &mut DbConnection, r| store::rounds::find(c, r);
        let rubric = |c: &mut DbConnection, r| scoring::load_rubric(c, r);
        let v =
            scoring::expert_scoring(c, &me, mine, (&settings, &round_of, &rubric), now).unwrap();
        assert!(v.peers.is_err());
    });
    // The applicant and the employer: the stage only, no expert, no review, no score.
    let applicant = app.share();
    applicant
        .login(guantong::demo::assignment::SAME_EMPLOYER, DEMO_PASSWORD)
        .await;
    let body = applicant
        .get(&format!("/applicant/applications/{mine}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(body.contains("专家评审"), "the stage shows");
    for n in &names {
        assert!(!body.contains(n.as_str()), "{n} shown to the applicant");
    }
    for word in ["一票否决", "评议意见", "总分", "退回评分"] {
        assert!(!body.contains(word), "{word} shown to the applicant");
    }
    let employer = app.share();
    employer.login("demo-employer", DEMO_PASSWORD).await;
    let body = employer
        .get(&format!("/employer/applications/{mine}"))
        .await
        .text()
        .await
        .unwrap();
    for n in &names {
        assert!(!body.contains(n.as_str()), "{n} shown to the employer");
    }
    assert!(!body.contains("总分") && !body.contains("评议意见"));
}

async fn reopening_is_the_offices_with_a_reason_and_keeps_the_history(app: TestApp) {
    demo(&app);
    let case = app.with_conn(|c| of(c, "严伟"));
    let mine = app.with_conn(|c| review_of(c, case, "demo-expert1").unwrap());
    assert!(mine.submitted());
    let page = format!("/office/applications/{case}/reviews");
    let reopen = format!("{page}/reopen");
    let (entry, v) = (mine.entry_id.to_string(), mine.version.to_string());
    // An expert cannot reopen, not even their own.
    let expert = app.share();
    expert.login("demo-expert1", DEMO_PASSWORD).await;
    let token = expert.page(&url(case)).await.csrf();
    let res = expert
        .post_raw(
            &reopen,
            &[
                ("csrf_token", &token),
                ("entry", &entry),
                ("version", &v),
                ("reason", "我想改"),
            ],
        )
        .await;
    // The office's area: refused, and the review stays as it was.
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        app.with_conn(|c| review_of(c, case, "demo-expert1").unwrap()),
        mine
    );
    let office = app.share();
    office.login("demo-office", DEMO_PASSWORD).await;
    let p = office.page(&page).await;
    assert!(p
        .text(".review-aggregates .submitted-count")
        .contains("3 份"));
    // No reason: refused beside that review's form, nothing changed.
    let res = office
        .submit(
            &page,
            &reopen,
            &[("entry", &entry), ("version", &v), ("reason", " ")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    read_page(res)
        .await
        .assert_errors_linked(&[&format!("reason-{entry}")]);
    assert_eq!(
        app.with_conn(|c| review_of(c, case, "demo-expert1").unwrap()),
        mine
    );
    // With a reason: a draft again, the submitted version and the reason kept, not counted.
    let why = "工作业绩一项的评分与意见不一致";
    let res = office
        .submit(
            &page,
            &reopen,
            &[("entry", &entry), ("version", &v), ("reason", why)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (r, k, h) = app.with_conn(|c| {
        let r = review_of(c, case, "demo-expert1").unwrap();
        let k = assignments::find_case(c, case).unwrap().unwrap();
        let h = reviews::history_of(c, case, PoolEntryId(r.entry_id)).unwrap();
        (r, k, h)
    });
    assert!(!r.submitted());
    assert_eq!(r.marks, mine.marks, "the marks stay to be corrected");
    assert_eq!(k.submitted, 2);
    let events: Vec<&str> = h.iter().map(|h| h.event.as_str()).collect();
    assert_eq!(events, ["submitted", "reopened"]);
    assert_eq!(h[1].reason, why);
    assert_eq!(h[1].total_milli, mine.total_milli);
    // The same page sent again: the review moved on, refused.
    let res = office
        .submit(
            &page,
            &reopen,
            &[("entry", &entry), ("version", &v), ("reason", why)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    // The expert sees why, corrects and submits; the office sees the whole history.
    let p = expert.page(&url(case)).await;
    assert!(p.text(".review-history").contains(why));
    let mut f = complete(&r.version.to_string());
    f.push(("action", "submit".into()));
    let res = expert.submit(&url(case), &url(case), &borrowed(&f)).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let p = office.page(&page).await;
    let history = p.text(&format!("#review-{entry} .review-history"));
    assert!(history.contains(why));
    assert_eq!(
        p.select(&format!("#review-{entry} .review-history li"))
            .len(),
        3
    );
    assert!(p
        .text(".review-aggregates .submitted-count")
        .contains("3 份"));
    // An expert recused after submitting: their review is kept as it was, not reopened, and no
    // longer counted.
    let (other, other_entry, other_version) = app.with_conn(|c| {
        let me = actor(c, "demo-expert1").id.0;
        let r = reviews::of_case(c, case)
            .unwrap()
            .into_iter()
            .find(|r| r.submitted() && r.account_id != me)
            .unwrap();
        (
            guantong::access::Actor::new(
                guantong::domain::AccountId(r.account_id),
                guantong::domain::Role::Expert,
            ),
            r.entry_id.to_string(),
            r.version.to_string(),
        )
    });
    let now = crate::fixtures::now(&app);
    app.with_conn(|c| {
        let d = guantong::service::assignment::declaration("relative", "").unwrap();
        guantong::service::assignment::recuse_self(c, &other, case, &d, now).unwrap();
        assert_eq!(
            assignments::find_case(c, case).unwrap().unwrap().submitted,
            2
        );
    });
    let res = office
        .submit(
            &page,
            &reopen,
            &[
                ("entry", &other_entry),
                ("version", &other_version),
                ("reason", why),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let p = read_page(res).await;
    assert!(p.text("#refused").contains("已不在"));
    assert!(
        p.text("#lost").contains(why),
        "the reason typed is shown to copy"
    );
    let kept = app.with_conn(|c| {
        reviews::of_case(c, case)
            .unwrap()
            .into_iter()
            .find(|r| r.entry_id.to_string() == other_entry)
            .unwrap()
    });
    assert!(
        kept.submitted(),
        "the recused expert's review is kept as submitted"
    );
}

async fn closing_moves_exactly_the_complete_cases_once_with_two_racing(app: TestApp) {
    demo(&app);
    let (veto, all, draft, extended) =
        app.with_conn(|c| (of(c, "罗静"), of(c, "严伟"), of(c, "姚丹"), of(c, "钱坤")));
    // The day after the round's scoring deadline (2027-03-31); 钱坤's runs to 2027-04-15.
    let now = on(&app, "2027-04-01");
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(2));
    let threads: Vec<_> = (0..2)
        .map(|_| {
            let (pool, barrier) = (app.pool.clone(), barrier.clone());
            std::thread::spawn(move || {
                let mut c = pool.get().unwrap();
                barrier.wait();
                scoring::sweep_closing(&mut c, now).unwrap()
            })
        })
        .collect();
    let moved: usize = threads.into_iter().map(|t| t.join().unwrap()).sum();
    assert_eq!(moved, 2, "the two complete cases, once");
    app.with_conn(|c| {
        assert_eq!(
            state_of(c, veto),
            State::Meeting,
            "a veto goes to the meeting"
        );
        assert_eq!(state_of(c, all), State::Meeting);
        assert_eq!(state_of(c, draft), State::ExpertReview, "a review missing");
        assert_eq!(state_of(c, extended), State::ExpertReview, "extended");
        for id in [veto, all] {
            let closes: i64 = audit_log::table
                .filter(audit_log::subject.eq(format!("application:{id}")))
                .filter(audit_log::action.like("%close_scoring%"))
                .count()
                .get_result(c)
                .unwrap();
            assert_eq!(closes, 1, "one transition for {id}");
        }
        assert_eq!(scoring::sweep_closing(c, now).unwrap(), 0, "idempotent");
    });
    // Past the deadline the draft cannot be saved; what was typed comes back with why.
    let expert = app.share();
    expert.login("demo-expert1", DEMO_PASSWORD).await;
    let before = app.with_conn(|c| review_of(c, draft, "demo-expert1").unwrap());
    let v = before.version.to_string();
    let mut f = complete(&v);
    f.push(("action", "submit".into()));
    let res = expert.submit(&url(draft), &url(draft), &borrowed(&f)).await;
    let status = res.status();
    let p = read_page(res).await;
    assert_eq!(status, StatusCode::CONFLICT, "{:?}", p.select("main"));
    assert!(p.text("#refused").contains("截止"));
    assert_eq!(p.input_value("m_ability"), Some("81".into()));
    assert!(p.text("#opinion").contains("技能扎实"));
    assert_eq!(
        app.with_conn(|c| review_of(c, draft, "demo-expert1").unwrap()),
        before
    );
    // A case sent to the meeting takes no more saves either.
    assert!(expert
        .page(&url(all))
        .await
        .text("#closed")
        .contains("已经结束"));
    // The extended case still takes reviews from its experts.
    let (login, v) = app.with_conn(|c| {
        let a = assignments::of_case(c, extended)
            .unwrap()
            .into_iter()
            .find(|a| {
                a.active
                    && !rv::table
                        .filter(rv::application_id.eq(extended.0))
                        .filter(rv::entry_id.eq(a.entry_id))
                        .filter(rv::status.eq("submitted"))
                        .count()
                        .get_result::<i64>(c)
                        .is_ok_and(|n| n > 0)
            })
            .unwrap();
        let acc = store::accounts::find(c, guantong::domain::AccountId(a.account_id))
            .unwrap()
            .unwrap();
        let v = reviews::find(c, extended, PoolEntryId(a.entry_id))
            .unwrap()
            .map_or(0, |r| r.version);
        (acc.login_name, v)
    });
    let late = app.share();
    late.login(&login, DEMO_PASSWORD).await;
    let mut f = complete(&v.to_string());
    f.push(("action", "submit".into()));
    let res = late
        .submit(&url(extended), &url(extended), &borrowed(&f))
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "extended: still open");
}

async fn the_office_closes_by_hand_and_extends_named_cases(app: TestApp) {
    demo(&app);
    let (veto, all, draft, extended, round) = app.with_conn(|c| {
        let first = of(c, "罗静");
        let r = assignments::find_case(c, first).unwrap().unwrap();
        (
            of(c, "罗静"),
            of(c, "严伟"),
            of(c, "姚丹"),
            of(c, "钱坤"),
            (r.committee_id, r.round_id),
        )
    });
    let page = format!("/committees/{}/rounds/{}/scoring", round.0, round.1);
    let office = app.share();
    office.login("demo-office", DEMO_PASSWORD).await;
    let p = office.page(&page).await;
    assert!(p.text(".complete-count").contains('2'));
    assert_eq!(p.select(".missing-reviews .missing").len(), 2);
    assert!(
        p.text(&format!("#case-{draft} .waiting-for"))
            .contains("李明"),
        "demo-expert1's review is the one missing"
    );
    // No reason: refused beside the field, nothing moved.
    let res = office
        .submit(&page, &format!("{page}/close"), &[("reason", "")])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    read_page(res).await.assert_errors_linked(&["reason"]);
    app.with_conn(|c| assert_eq!(state_of(c, veto), State::ExpertReview));
    let res = office
        .submit(
            &page,
            &format!("{page}/close"),
            &[("reason", "评审会议提前至四月召开")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    app.with_conn(|c| {
        assert_eq!(state_of(c, veto), State::Meeting);
        assert_eq!(state_of(c, all), State::Meeting);
        assert_eq!(state_of(c, draft), State::ExpertReview);
        assert_eq!(state_of(c, extended), State::ExpertReview);
    });
    // Again: nothing complete is left to close.
    let res = office
        .submit(&page, &format!("{page}/close"), &[("reason", "再次结束")])
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    // Extending: a case must be chosen and the date must be later than the deadline.
    let res = office
        .submit(&page, &format!("{page}/extend"), &[("until", "2027-04-20")])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    read_page(res).await.assert_errors_linked(&["cases"]);
    let d = draft.to_string();
    let res = office
        .submit(
            &page,
            &format!("{page}/extend"),
            &[("cases", &d), ("until", "2027-03-01")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let p = read_page(res).await;
    p.assert_errors_linked(&["until"]);
    assert_eq!(p.input_value("until"), Some("2027-03-01".into()));
    assert!(
        p.select(&format!("#cases-{draft}[checked]")).len() == 1,
        "the choice kept"
    );
    let res = office
        .submit(
            &page,
            &format!("{page}/extend"),
            &[("cases", &d), ("until", "2027-04-20")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let k = app.with_conn(|c| assignments::find_case(c, draft).unwrap().unwrap());
    assert_eq!(
        k.extended_until.map(|d| d.to_string()),
        Some("2027-04-20".into())
    );
    // A page link with a count past any real one is an empty page, not an error.
    let res = office.get(&format!("{page}?after=2147483647-1")).await;
    assert_eq!(res.status(), StatusCode::OK);
    // Another committee's office is told the round does not exist.
    let stranger = app.share();
    stranger.login("demo-office-senior", DEMO_PASSWORD).await;
    assert_eq!(stranger.get(&page).await.status(), StatusCode::NOT_FOUND);
}
