//! The committee's material before it meets: the ranking in each order, a page at a time, flags
//! for discussion; each expert's calibration, kept as reviews come and go and equal to a
//! recomputation from the reviews, drawn with the same numbers as its table; experts see only
//! their own; the exports are masked, BOM-first, well-formed and formula-safe, with expert names
//! only in the office's. The demo's second 中级 round (scored and closed) is the fixture.

use crate::fixtures::{actor, demo, of};
use crate::helpers::TestApp;
use diesel::prelude::*;
use guantong::demo::DEMO_PASSWORD;
use guantong::domain::{AccountId, ApplicationId, PoolEntryId, RoundId};
use guantong::rubric::{self, Sums};
use guantong::service::{ranking, scoring};
use guantong::store::ranking::{self as store_k, Ranked, Sort};
use guantong::store::schema::review_cases as rc;
use guantong::store::{self, reviews, DbConnection};
use reqwest::StatusCode;
use std::collections::BTreeMap;

crate::tests!(
    both: [
        the_ranking_reads_the_stored_aggregates_in_each_order_a_page_at_a_time,
        kept_calibration_equals_a_recomputation_and_the_chart_equals_the_table,
        experts_see_only_their_own_calibration,
        exports_are_masked_bom_first_well_formed_and_formula_safe,
    ],
);

/// The demo's scored and closed round, and its committee.
fn meeting_round(c: &mut DbConnection) -> (RoundId, i64) {
    let r = store::rounds::list(c)
        .unwrap()
        .into_iter()
        .find(|r| r.name.contains("第二批"))
        .expect("the demo's second round");
    (r.id, r.committee.unwrap().0)
}

fn all_ranked(c: &mut DbConnection, round: RoundId) -> Vec<Ranked> {
    store_k::cases_page(c, round, 0, 1000).unwrap()
}

/// What each sort must give: its key in its direction, ties by application the same way.
fn expected(mut rows: Vec<Ranked>, sort: Sort) -> Vec<i64> {
    rows.sort_by(|a, b| {
        let (ka, kb) = (
            (sort.key(a), a.application_id),
            (sort.key(b), b.application_id),
        );
        match sort {
            Sort::Count => ka.cmp(&kb),
            _ => kb.cmp(&ka),
        }
    });
    rows.iter().map(|r| r.application_id).collect()
}

async fn the_ranking_reads_the_stored_aggregates_in_each_order_a_page_at_a_time(app: TestApp) {
    demo(&app);
    let (round, committee) = app.with_conn(meeting_round);
    let base = format!("/committees/{committee}/rounds/{round}/ranking");
    // Two cases tied on each key, so every order has a tie to page through.
    app.with_conn(|c| {
        let rows = all_ranked(c, round);
        let (a, b) = (rows[2].application_id, rows[3].application_id);
        diesel::update(rc::table.filter(rc::application_id.eq(b)))
            .set((
                rc::mean_milli.eq(rows[2].mean_milli),
                rc::median_milli.eq(rows[2].median_milli),
                rc::spread_milli.eq(rows[2].spread_milli),
            ))
            .execute(c)
            .unwrap();
        assert_ne!(a, b);
    });
    let rows = app.with_conn(|c| all_ranked(c, round));
    assert_eq!(rows.len(), 8);
    for sort in Sort::ALL {
        let want = expected(rows.clone(), sort);
        // Pages of three, each continuing from the last row's key, give the whole order once.
        let mut got = Vec::new();
        let mut after = None;
        loop {
            let page = app.with_conn(|c| store_k::page(c, round, "中级", sort, after, 3).unwrap());
            let Some(last) = page.last() else { break };
            after = Some((sort.key(last), last.application_id));
            got.extend(page.iter().map(|r| r.application_id));
        }
        assert_eq!(got, want, "{sort:?} paged by three");
        let last = app.with_conn(|c| store_k::last_page(c, round, "中级", sort, 3).unwrap());
        let last: Vec<i64> = last.iter().map(|r| r.application_id).collect();
        assert_eq!(last, want[want.len() - 3..], "{sort:?}: the last page");
    }

    app.login("demo-office", DEMO_PASSWORD).await;
    let page = app.page(&base).await;
    assert_eq!(page.status, StatusCode::OK);
    let shown: Vec<String> = page.select("tr.ranked .mean");
    let want: Vec<String> = expected(rows.clone(), Sort::Total)
        .iter()
        .map(|id| {
            let r = rows.iter().find(|r| r.application_id == *id).unwrap();
            rubric::points(r.mean_milli)
        })
        .collect();
    assert_eq!(
        shown, want,
        "the page shows the stored means, highest first"
    );
    // The veto case and the wide one are for discussion, naming the widest criterion; no other.
    let flagged = page.select("tr.ranked.discuss");
    let should: Vec<&Ranked> = rows
        .iter()
        .filter(|r| r.vetoes > 0 || r.spread_milli > 15_000)
        .collect();
    assert_eq!(flagged.len(), should.len(), "{flagged:?}");
    assert!(should.iter().any(|r| r.vetoes > 0) && should.iter().any(|r| r.vetoes == 0));
    let veto = app.with_conn(|c| of(c, "许明"));
    let row = page.text(&format!("#case-{veto}"));
    assert!(
        row.contains("讨论") && row.contains("职业能力") || row.contains("工作业绩"),
        "{row}"
    );
    let spread = page.select("tr.ranked .spread");
    assert!(spread.iter().any(|s| s.parse::<f64>().unwrap() > 15.0));
    // Each sort's page is in that order.
    for sort in Sort::ALL {
        let p = app.page(&format!("{base}?sort={}", sort.code())).await;
        let ids: Vec<String> = p.select_attr("tr.ranked", "id");
        let want: Vec<String> = expected(rows.clone(), sort)
            .iter()
            .map(|id| format!("case-{id}"))
            .collect();
        assert_eq!(ids, want, "{sort:?}");
        let last = app
            .page(&format!("{base}?sort={}&last=1", sort.code()))
            .await;
        assert_eq!(
            last.select_attr("tr.ranked", "id"),
            want,
            "one page: the last is all"
        );
    }
    // Links typed wrong are a first page or an empty one, never an error.
    for q in [
        "after=x-1",
        "after=99999999999999999999-1",
        "after=-5-3",
        "level=高级",
        "sort=drop",
    ] {
        let p = app.page(&format!("{base}?{q}")).await;
        assert_eq!(p.status, StatusCode::OK, "{q}");
    }
    let p = app.page(&format!("{base}?after=0-0")).await;
    assert!(p.select("tr.ranked").is_empty() && p.text("#no-ranking").contains("没有更多"));
    // The supervisor reads it (without the office's review links); others are told nothing.
    let sup = app.share();
    sup.login("demo-supervisor", DEMO_PASSWORD).await;
    let p = sup.page(&base).await;
    assert_eq!(p.status, StatusCode::OK);
    assert_eq!(p.select("tr.ranked").len(), 8);
    assert!(p.select("tr.ranked a").is_empty());
    for login in [
        "demo-expert1",
        "demo-applicant",
        "demo-employer",
        "demo-office-expired",
        "demo-admin",
    ] {
        let other = app.share();
        other.login(login, DEMO_PASSWORD).await;
        for path in [
            base.clone(),
            format!("/committees/{committee}/rounds/{round}/calibration"),
            format!("/committees/{committee}/rounds/{round}/summary"),
            format!("/committees/{committee}/rounds/{round}/export/reviews.csv"),
        ] {
            let status = other.get(&path).await.status();
            assert!(
                status == StatusCode::NOT_FOUND || status == StatusCode::FORBIDDEN,
                "{login} {path}: {status}"
            );
        }
    }
    // The printable summary: every case with its place, the opinions, no ID number.
    let s = app
        .page(&format!("/committees/{committee}/rounds/{round}/summary"))
        .await;
    assert_eq!(s.select("tr.summary-row").len(), 8);
    assert_eq!(s.select("tr.summary-row .place")[0], "1");
    assert!(s
        .select("tr.summary-row .opinion")
        .iter()
        .any(|o| o.contains("一票否决")));
    assert!(s
        .select("tr.summary-row .flag")
        .iter()
        .any(|f| f.contains("一票否决 1 份")));
    assert!(
        s.select("#still-scoring").is_empty(),
        "every case of the round is closed"
    );
    assert!(s.text("#as-of").contains("数据截至"));
    let html = s.html.html();
    assert!(
        !html.contains("**************"),
        "no ID number, even masked"
    );
}

/// Each counted review paired with the mean of the others on its case, recomputed from the
/// reviews and assignments as they are now (not from what scoring kept).
fn recomputed(c: &mut DbConnection, round: RoundId) -> BTreeMap<i64, Sums> {
    let mut out: BTreeMap<i64, Sums> = BTreeMap::new();
    let active: Vec<(i64, i64, bool, bool)> = store::assignments::of_round(c, round).unwrap();
    let mut apps: Vec<i64> = active.iter().map(|a| a.0).collect();
    apps.sort_unstable();
    apps.dedup();
    for app in apps {
        let counted: Vec<reviews::Review> = reviews::of_case(c, ApplicationId(app))
            .unwrap()
            .into_iter()
            .filter(|r| {
                r.submitted()
                    && active
                        .iter()
                        .any(|a| a.0 == app && a.1 == r.entry_id && a.2)
            })
            .collect();
        for r in &counted {
            let others: Vec<i64> = counted
                .iter()
                .filter(|o| o.entry_id != r.entry_id)
                .map(|o| o.total_milli)
                .collect();
            if !others.is_empty() {
                let n = others.len() as i64;
                let mean = (2 * others.iter().sum::<i64>() + n).div_euclid(2 * n);
                let s = out.entry(r.account_id).or_default();
                *s = s.plus(Sums::pair(r.total_milli, mean));
            }
        }
    }
    out
}

fn kept(c: &mut DbConnection, round: RoundId) -> BTreeMap<i64, Sums> {
    store_k::sums_of_round(c, round)
        .unwrap()
        .into_iter()
        .collect()
}

async fn kept_calibration_equals_a_recomputation_and_the_chart_equals_the_table(app: TestApp) {
    let now = demo(&app);
    let (round, committee) = app.with_conn(meeting_round);
    let sums = app.with_conn(|c| kept(c, round));
    assert_eq!(sums, app.with_conn(|c| recomputed(c, round)));
    // The main round, mid-scoring: kept through a reopening and a recusal too.
    let main = app.with_conn(|c| {
        let id = of(c, "严伟");
        store::applications::find(c, id)
            .unwrap()
            .unwrap()
            .round
            .unwrap()
    });
    assert_eq!(
        app.with_conn(|c| kept(c, main)),
        app.with_conn(|c| recomputed(c, main))
    );
    let case = app.with_conn(|c| of(c, "严伟"));
    let office = app.with_conn(|c| actor(c, "demo-office"));
    app.with_conn(|c| {
        let r = reviews::of_case(c, case)
            .unwrap()
            .into_iter()
            .find(|r| r.submitted())
            .unwrap();
        scoring::reopen(
            c,
            &office,
            case,
            PoolEntryId(r.entry_id),
            r.version,
            "请核对",
            now,
        )
        .unwrap();
    });
    let after_reopen = app.with_conn(|c| kept(c, main));
    assert_eq!(after_reopen, app.with_conn(|c| recomputed(c, main)));
    app.with_conn(|c| {
        scoring::rebuild_calibration(c, main).unwrap();
    });
    assert_eq!(
        app.with_conn(|c| kept(c, main)),
        after_reopen,
        "a rebuild changes nothing"
    );

    app.login("demo-office", DEMO_PASSWORD).await;
    let page = app
        .page(&format!(
            "/committees/{committee}/rounds/{round}/calibration"
        ))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let names = page.select("tr.expert .name");
    let diffs = page.select("tr.expert .mean-diff");
    let shared = page.select("tr.expert .shared");
    let zs = page.select("tr.expert .z");
    assert_eq!(names.len(), sums.len());
    let ids: Vec<i64> = page
        .select_attr("tr.expert", "id")
        .iter()
        .map(|s| s.trim_start_matches("expert-").parse().unwrap())
        .collect();
    let mut flagged = 0;
    let mut thin = 0;
    for (i, id) in ids.iter().enumerate() {
        let c = rubric::calibrate_sums(&sums[id], 5, 2.0);
        assert_eq!(diffs[i], rubric::signed_points(c.mean_diff_milli));
        assert_eq!(shared[i], c.shared.to_string());
        match c.z {
            Some(z) if c.shared >= 5 => assert_eq!(zs[i], format!("{z:.2}")),
            _ => {
                assert_eq!(zs[i], "样本不足");
                thin += 1;
            }
        }
        flagged += usize::from(c.flagged);
    }
    assert_eq!(flagged, 1, "one expert far off the panel");
    assert_eq!(page.select("tr.expert.flagged").len(), 1);
    assert!(thin >= 1, "one expert with too few shared cases");
    // The chart: the same numbers and names, no inline style anywhere.
    let svg = page.select_html("svg.chart");
    assert_eq!(svg.len(), 1);
    assert!(!svg[0].contains("style="));
    let texts: Vec<String> = page
        .select("svg.chart text")
        .iter()
        .map(|t| t.trim().to_string())
        .collect();
    for (d, n) in diffs.iter().zip(&names) {
        assert!(texts.contains(d), "{d} in the chart: {texts:?}");
        assert!(texts.contains(n), "{n} in the chart");
    }
    assert_eq!(
        page.select("svg.chart rect").len(),
        names.len(),
        "one bar each"
    );
}

async fn experts_see_only_their_own_calibration(app: TestApp) {
    demo(&app);
    let (round, committee) = app.with_conn(meeting_round);
    let sums = app.with_conn(|c| kept(c, round));
    let (mine, theirs) = {
        let mut ids = sums.keys();
        (*ids.next().unwrap(), *ids.next().unwrap())
    };
    let (login, their_name) = app.with_conn(|c| {
        let names = store::accounts::names(c, &[AccountId(mine), AccountId(theirs)]).unwrap();
        let me = names
            .iter()
            .find(|(a, _, _)| a.0 == mine)
            .unwrap()
            .1
            .clone();
        let them = names
            .iter()
            .find(|(a, _, _)| a.0 == theirs)
            .unwrap()
            .2
            .clone();
        (me, them)
    });
    app.login(&login, DEMO_PASSWORD).await;
    let home = app.page("/expert").await;
    let link = format!("/expert/rounds/{round}/calibration");
    assert!(home
        .select_attr(".calibration-links a", "href")
        .contains(&link));
    let page = app.page(&link).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.select("tr.expert").len(), 1, "their own row only");
    assert_eq!(
        page.select_attr("tr.expert", "id"),
        vec![format!("expert-{mine}")]
    );
    assert!(
        !page.html.html().contains(&their_name),
        "no other expert's name"
    );
    // Another expert's numbers are nowhere an expert can ask for them.
    for path in [
        format!("/committees/{committee}/rounds/{round}/calibration"),
        format!("/committees/{committee}/rounds/{round}/ranking"),
    ] {
        assert_eq!(
            app.get(&path).await.status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    // A round they have no reviews in does not exist for them, nor for an expert of no round.
    let main = app.with_conn(|c| {
        let id = of(c, "严伟");
        store::applications::find(c, id)
            .unwrap()
            .unwrap()
            .round
            .unwrap()
    });
    let in_main = app.with_conn(|c| kept(c, main)).contains_key(&mine);
    let status = app
        .get(&format!("/expert/rounds/{main}/calibration"))
        .await
        .status();
    assert_eq!(status == StatusCode::OK, in_main);
    assert_eq!(
        app.get("/expert/rounds/999999/calibration").await.status(),
        StatusCode::NOT_FOUND
    );
    let other = app.share();
    other.login("demo-expert1", DEMO_PASSWORD).await;
    let e1 = app.with_conn(|c| actor(c, "demo-expert1").id.0);
    let status = other.get(&link).await.status();
    assert_eq!(status == StatusCode::OK, sums.contains_key(&e1));
    if status == StatusCode::OK {
        let p = other.page(&link).await;
        assert_eq!(
            p.select_attr("tr.expert", "id"),
            vec![format!("expert-{e1}")]
        );
    }
    // An expert still scoring in a round is not shown how they compare until they are done;
    // nor in a round that keeps the others' scores from experts.
    let e1 = app.with_conn(|c| actor(c, "demo-expert1"));
    let main_sums = app.with_conn(|c| kept(c, main));
    if main_sums.contains_key(&e1.id.0) {
        let p = other
            .page(&format!("/expert/rounds/{main}/calibration"))
            .await;
        assert!(
            p.text("#withheld").contains("尚未提交"),
            "demo-expert1 has a draft in it"
        );
        assert!(p.select("tr.expert").is_empty());
    }
    // The same expert, in a round set to keep the others' scores from experts.
    let view = app.with_conn(|c| {
        use guantong::domain::settings::{Scope, Settings};
        let me = actor(c, &login);
        let off = Settings::from_rows([(Scope::Round(round), "peer_reviews_after_submit", "否")]);
        let load = |c: &mut DbConnection, r| store::rounds::find(c, r);
        ranking::my_calibration(c, &me, round, (&off, &load)).unwrap()
    });
    assert_eq!(view.withheld, Some(ranking::WITHHELD_BY_ROUND));
    assert!(view.rows.is_empty());
    // The office reads calibration on its own page, not the expert's.
    let office = app.share();
    office.login("demo-office", DEMO_PASSWORD).await;
    assert_eq!(office.get(&link).await.status(), StatusCode::FORBIDDEN);
}

fn parse_csv(body: &str) -> Vec<Vec<String>> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(body.as_bytes());
    r.records()
        .map(|rec| rec.unwrap().iter().map(str::to_string).collect())
        .collect()
}

async fn exports_are_masked_bom_first_well_formed_and_formula_safe(app: TestApp) {
    let now = demo(&app);
    let (round, committee) = app.with_conn(meeting_round);
    // A review group's opinion a spreadsheet would run as a formula.
    let case = app.with_conn(|c| of(c, "韩磊"));
    app.with_conn(|c| {
        let office = actor(c, "demo-office");
        let v = store::assignments::find_case(c, case)
            .unwrap()
            .unwrap()
            .group_version;
        let text = "=HYPERLINK(\"http://example.com\",\"点我\")";
        scoring::record_group_opinion(c, &office, case, v, text, now).unwrap();
    });
    let full_ids: Vec<String> = app.with_conn(|c| {
        let mut out = Vec::new();
        for name in ["许明", "韩磊", "袁芳"] {
            let id = of(c, name);
            let a = store::applications::find(c, id).unwrap().unwrap();
            let snap: guantong::application::Snapshot =
                serde_json::from_str(a.snapshot.as_deref().unwrap()).unwrap();
            out.push(snap.id_masked.clone());
            let person = store::accounts::person(c, a.applicant).unwrap().unwrap();
            out.push(person.id_number.clone());
        }
        out
    });
    app.login("demo-office", DEMO_PASSWORD).await;
    let base = format!("/committees/{committee}/rounds/{round}/export");
    let res = app.get(&format!("{base}/applications.csv")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
    assert!(res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    let body = res.text().await.unwrap();
    assert!(body.starts_with('\u{feff}'), "BOM first");
    let rows = parse_csv(body.trim_start_matches('\u{feff}'));
    assert_eq!(rows.len(), 9, "a header and one row per application");
    assert!(
        rows.iter().all(|r| r.len() == 14),
        "every row has every column"
    );
    let han = rows.iter().find(|r| r[1] == "韩磊").unwrap();
    assert_eq!(
        han[13], "'=HYPERLINK(\"http://example.com\",\"点我\")",
        "neutralised"
    );
    for pair in full_ids.chunks(2) {
        assert!(body.contains(&pair[0]), "the masked number is there");
        assert!(!body.contains(&pair[1]), "the full number never is");
    }
    let flagged = rows.iter().filter(|r| r[11] == "是").count();
    assert_eq!(flagged, 2);

    let office_reviews = app
        .get(&format!("{base}/reviews.csv"))
        .await
        .text()
        .await
        .unwrap();
    assert!(office_reviews.starts_with('\u{feff}'));
    let rows = parse_csv(office_reviews.trim_start_matches('\u{feff}'));
    let submitted: i64 = app.with_conn(|c| {
        all_ranked(c, round)
            .iter()
            .map(|r| i64::from(r.submitted))
            .sum()
    });
    // Four criteria and the overall opinion for each submitted review.
    assert_eq!(rows.len() as i64, 1 + submitted * 5);
    assert!(rows.iter().all(|r| r.len() == 14));
    let experts: Vec<String> = app.with_conn(|c| {
        let ids: Vec<AccountId> = kept(c, round).keys().map(|a| AccountId(*a)).collect();
        store::accounts::names(c, &ids)
            .unwrap()
            .into_iter()
            .map(|(_, _, n)| n)
            .collect()
    });
    assert!(
        experts.iter().all(|n| office_reviews.contains(n.as_str())),
        "the office's names them"
    );
    for pair in full_ids.chunks(2) {
        assert!(!office_reviews.contains(&pair[1]));
    }
    // The supervisor's copy numbers the experts instead.
    let sup = app.share();
    sup.login("demo-supervisor", DEMO_PASSWORD).await;
    let theirs = sup
        .get(&format!("{base}/reviews.csv"))
        .await
        .text()
        .await
        .unwrap();
    let rows_sup = parse_csv(theirs.trim_start_matches('\u{feff}'));
    assert_eq!(rows_sup.len(), rows.len());
    assert!(
        experts.iter().all(|n| !theirs.contains(n.as_str())),
        "no expert's name"
    );
    assert!(rows_sup[1][4].starts_with("专家"));
    // Its calibration page numbers them the same way, and names nobody.
    let cal = sup
        .page(&format!(
            "/committees/{committee}/rounds/{round}/calibration"
        ))
        .await;
    let labels = cal.select("tr.expert .name");
    assert!(!labels.is_empty() && labels.iter().all(|l| l.starts_with("专家")));
    assert!(experts
        .iter()
        .all(|n| !cal.html.html().contains(n.as_str())));
    assert!(labels.iter().all(|l| rows_sup.iter().any(|r| &r[4] == l)));
    // The service writes the same file a piece at a time: the pieces join to the download.
    let whole = app.with_conn(|c| {
        let office = actor(c, "demo-office");
        let settings = guantong::service::settings::load(c).unwrap();
        let load = |c: &mut DbConnection, r| store::rounds::find(c, r);
        let rubric = |c: &mut DbConnection, id| scoring::load_rubric(c, id);
        let mut e = ranking::Export::open(
            c,
            &office,
            guantong::domain::CommitteeId(committee),
            round,
            ranking::ExportKind::Reviews,
            (&settings, &load, &rubric),
        )
        .unwrap();
        let mut bytes = Vec::new();
        while let Some(chunk) = e.next_chunk(c).unwrap() {
            bytes.extend(chunk);
        }
        String::from_utf8(bytes).unwrap()
    });
    assert_eq!(whole, office_reviews);
}
