//! The staff inbox: every filter narrows the list, assignee me/nobody,
//! overdue, due-first and newest-first order, counts per status, keyset
//! paging across pages with the filters carried over, and full-text search
//! (reference, message words, a reply's words, customer name and email).

use std::collections::HashSet;

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use tellus::db::schema::{feedback, tickets, users};

use crate::both;
use crate::support::{html_unescape, Backend, Client, Response, TestApp};

const STAFF: &str = "staff@shop.example";
const EN: &[(&str, &str)] = &[("Accept-Language", "en")];

/// A shop that takes many complaints from one address, and a second location.
fn shop(backend: Backend) -> TestApp {
    let app = TestApp::builder(backend)
        .env("TELLUS_PUBLIC_RATE_LIMIT", 10_000)
        .with_shop();
    app.add_location("other", "Andere Winkel");
    app
}

/// Takes every ticket's due moment away, as if they all waited on the
/// customer; each test then dates the ones it wants (a new ticket otherwise
/// gets its first-response target).
fn undate_all(app: &TestApp) {
    app.write(|c| {
        diesel::update(tickets::table)
            .set(tickets::due_at.eq(None::<chrono::NaiveDateTime>))
            .execute(c)?;
        Ok(())
    });
}

/// What a test sets on a ticket directly (the workflow screens do it for real).
#[derive(Default, Clone)]
struct Set {
    status: Option<&'static str>,
    priority: Option<&'static str>,
    assignee: Option<&'static str>,
    due_in_minutes: Option<i64>,
}

fn set(app: &TestApp, reference: &str, what: Set) {
    let now = app.clock.now();
    let reference = reference.to_owned();
    app.write(move |c| {
        let ticket = tickets::table
            .inner_join(feedback::table)
            .filter(feedback::reference.eq(&reference))
            .select(tickets::id)
            .first::<i64>(c)?;
        let target = tickets::table.find(ticket);
        if let Some(status) = what.status {
            diesel::update(target)
                .set(tickets::status.eq(status))
                .execute(c)?;
        }
        if let Some(priority) = what.priority {
            diesel::update(target)
                .set(tickets::priority.eq(priority))
                .execute(c)?;
        }
        if let Some(email) = what.assignee {
            let user = users::table
                .filter(users::email.eq(email))
                .select(users::id)
                .first::<i64>(c)?;
            diesel::update(target)
                .set(tickets::assignee_id.eq(Some(user)))
                .execute(c)?;
        }
        if let Some(minutes) = what.due_in_minutes {
            let due: NaiveDateTime = now + Duration::minutes(minutes);
            diesel::update(target)
                .set(tickets::due_at.eq(Some(due)))
                .execute(c)?;
        }
        Ok(())
    });
}

/// The ticket references on an inbox page, top to bottom.
fn shown(page: &Response) -> Vec<String> {
    assert_eq!(page.status, 200, "{}", page.body);
    page.ticket_references()
}

/// The references on `path` as a set.
fn set_of(staff: &Client, path: &str) -> HashSet<String> {
    shown(&staff.get(path)).into_iter().collect()
}

fn refs(list: &[&String]) -> HashSet<String> {
    list.iter().map(|r| (*r).clone()).collect()
}

/// Every page from `path` on, following the next-page links.
fn all_pages(staff: &Client, path: &str) -> (Vec<String>, Vec<String>) {
    let mut seen = Vec::new();
    let mut links = Vec::new();
    let mut next = Some(path.to_owned());
    while let Some(path) = next {
        let page = staff.get(&path);
        seen.extend(shown(&page));
        next = page.link("/staff/inbox?before=").map(|l| html_unescape(&l));
        if let Some(link) = &next {
            links.push(link.clone());
        }
        assert!(links.len() < 20, "paging ends");
    }
    (seen, links)
}

both!(every_filter_narrows_the_inbox, |backend| {
    let app = shop(backend);
    let a = app
        .complain(1)
        .at("shop?spot=table-4")
        .category("service")
        .spot("table-4")
        .submit()
        .reference;
    let b = app.complain(2).category("product").submit().reference;
    let c = app
        .complain(1)
        .at("other")
        .category("product")
        .submit()
        .reference;
    let d = app.complain(2).message("Koud.").submit().reference;
    let e = app.complain(1).message("Te laat.").submit().reference;
    let f = app
        .complain(2)
        .at("other")
        .message("Vies.")
        .submit()
        .reference;
    undate_all(&app);
    set(
        &app,
        &b,
        Set {
            status: Some("open"),
            assignee: Some(STAFF),
            due_in_minutes: Some(-30),
            ..Set::default()
        },
    );
    set(
        &app,
        &c,
        Set {
            status: Some("waiting"),
            assignee: Some("owner@shop.example"),
            ..Set::default()
        },
    );
    set(
        &app,
        &d,
        Set {
            status: Some("resolved"),
            assignee: Some(STAFF),
            ..Set::default()
        },
    );
    set(
        &app,
        &e,
        Set {
            status: Some("closed"),
            ..Set::default()
        },
    );
    set(
        &app,
        &f,
        Set {
            due_in_minutes: Some(90),
            ..Set::default()
        },
    );
    let staff = app.login(STAFF);

    // By default: the work in hand (new, open, waiting).
    assert_eq!(set_of(&staff, "/staff/inbox"), refs(&[&a, &b, &c, &f]));
    assert_eq!(
        set_of(&staff, "/staff/inbox?status=active"),
        refs(&[&a, &b, &c, &f])
    );
    assert_eq!(
        set_of(&staff, "/staff/inbox?status=all"),
        refs(&[&a, &b, &c, &d, &e, &f])
    );
    for (status, expected) in [
        ("new", vec![&a, &f]),
        ("open", vec![&b]),
        ("waiting", vec![&c]),
        ("resolved", vec![&d]),
        ("closed", vec![&e]),
    ] {
        assert_eq!(
            set_of(&staff, &format!("/staff/inbox?status={status}")),
            refs(&expected),
            "status {status}"
        );
    }
    assert_eq!(
        set_of(&staff, "/staff/inbox?location=other"),
        refs(&[&c, &f])
    );
    assert_eq!(
        set_of(&staff, "/staff/inbox?location=shop&spot=table-4"),
        refs(&[&a])
    );
    assert_eq!(
        set_of(&staff, "/staff/inbox?status=all&category=product"),
        refs(&[&b, &c])
    );
    assert_eq!(
        set_of(&staff, "/staff/inbox?status=all&face=1"),
        refs(&[&a, &c, &e])
    );
    assert_eq!(
        set_of(&staff, "/staff/inbox?status=all&face=2&location=shop"),
        refs(&[&b, &d])
    );
    // Assignee: me, nobody, a named staff member, anyone.
    assert_eq!(
        set_of(&staff, "/staff/inbox?status=all&assignee=me"),
        refs(&[&b, &d])
    );
    assert_eq!(set_of(&staff, "/staff/inbox?assignee=me"), refs(&[&b]));
    assert_eq!(
        set_of(&staff, "/staff/inbox?assignee=nobody"),
        refs(&[&a, &f])
    );
    let owner_id = app.count("SELECT id AS n FROM users WHERE email = 'owner@shop.example'");
    assert_eq!(
        set_of(
            &staff,
            &format!("/staff/inbox?status=all&assignee={owner_id}")
        ),
        refs(&[&c])
    );
    assert_eq!(
        set_of(&staff, "/staff/inbox?assignee="),
        refs(&[&a, &b, &c, &f])
    );
    // Overdue: past its due moment only.
    assert_eq!(set_of(&staff, "/staff/inbox?overdue=1"), refs(&[&b]));
    // Moving the clock makes the other one overdue too.
    app.advance(2 * 3600);
    // Two idle hours end a session: log in again.
    let staff = app.login(STAFF);
    assert_eq!(set_of(&staff, "/staff/inbox?overdue=1"), refs(&[&b, &f]));

    // The chosen filters stay chosen in the form; unknown values are ignored.
    let page = staff.get("/staff/inbox?location=other&face=1&assignee=nobody");
    assert!(
        page.body.contains("<option value=\"other\" selected>"),
        "location kept"
    );
    assert!(
        page.body.contains("<option value=\"nobody\" selected>"),
        "assignee kept"
    );
    assert_eq!(
        set_of(
            &staff,
            "/staff/inbox?location=nowhere&face=9&category=nope&assignee=99999&status=bogus"
        ),
        refs(&[&a, &b, &c, &f])
    );
});

both!(
    rows_show_what_staff_need_and_escape_the_message,
    |backend| {
        let app = shop(backend);
        let hot = app
            .complain(1)
            .message("<b>Koud</b> <script>alert(1)</script>")
            .submit()
            .reference;
        set(
            &app,
            &hot,
            Set {
                status: Some("open"),
                priority: Some("high"),
                assignee: Some(STAFF),
                due_in_minutes: Some(-90),
            },
        );
        let calm = app.complain(2).submit().reference;
        set(
            &app,
            &calm,
            Set {
                due_in_minutes: Some(120),
                ..Set::default()
            },
        );
        let staff = app.login(STAFF);
        let page = staff.get_with("/staff/inbox", EN);
        assert_eq!(shown(&page), vec![hot.clone(), calm.clone()]);
        let rows: Vec<&str> = page.body.split("<tr").skip(2).collect();
        assert!(
            rows[0].contains("High"),
            "high priority marked: {}",
            rows[0]
        );
        assert!(rows[0].contains("Sam Staff"), "assignee shown");
        assert!(
            rows[0].contains("overdue by 1 h 30 min"),
            "overdue shown: {}",
            rows[0]
        );
        assert!(rows[0].contains("<td class=\"status\">Being handled</td>"));
        assert!(rows[1].contains(" min left"), "time left: {}", rows[1]);
        assert!(rows[1].contains("Nobody"));
        assert!(!rows[1].contains("High"));
        // The customer's text is shown, escaped.
        assert!(
            page.body.contains("&lt;b&gt;Koud&lt;/b&gt;"),
            "message escaped"
        );
        assert!(!page.body.contains("<b>Koud</b>") && !page.body.contains("<script>alert"));
    }
);

both!(due_first_then_newest_and_newest_first, |backend| {
    let app = shop(backend);
    let mut made = Vec::new();
    for n in 0..5 {
        made.push(
            app.complain(1)
                .message(&format!("Nummer {n}"))
                .submit()
                .reference,
        );
    }
    // made[0] oldest … made[4] newest.
    undate_all(&app);
    set(
        &app,
        &made[1],
        Set {
            due_in_minutes: Some(60),
            ..Set::default()
        },
    );
    set(
        &app,
        &made[3],
        Set {
            due_in_minutes: Some(-120),
            ..Set::default()
        },
    );
    set(
        &app,
        &made[4],
        Set {
            due_in_minutes: Some(-10),
            ..Set::default()
        },
    );
    let staff = app.login(STAFF);
    // Overdue first (most overdue on top), then due later, then those
    // without a due moment, newest first.
    let due = shown(&staff.get("/staff/inbox"));
    assert_eq!(
        due,
        vec![
            made[3].clone(),
            made[4].clone(),
            made[1].clone(),
            made[2].clone(),
            made[0].clone()
        ]
    );
    assert_eq!(due, shown(&staff.get("/staff/inbox?sort=due")));
    let newest = shown(&staff.get("/staff/inbox?sort=newest"));
    let expected: Vec<String> = made.iter().rev().cloned().collect();
    assert_eq!(newest, expected);
});

both!(counts_per_status_follow_the_other_filters, |backend| {
    let app = shop(backend);
    let mut made = Vec::new();
    for slug in ["shop", "shop", "shop", "shop", "other", "other"] {
        made.push(app.complain(1).at(slug).submit().reference);
    }
    set(
        &app,
        &made[0],
        Set {
            status: Some("open"),
            ..Set::default()
        },
    );
    set(
        &app,
        &made[1],
        Set {
            status: Some("open"),
            ..Set::default()
        },
    );
    set(
        &app,
        &made[2],
        Set {
            status: Some("resolved"),
            ..Set::default()
        },
    );
    set(
        &app,
        &made[4],
        Set {
            status: Some("waiting"),
            ..Set::default()
        },
    );
    let staff = app.login(STAFF);
    let tab = |page: &Response, label: &str| -> Option<String> {
        let at = page
            .body
            .find(&format!(">{label} <span class=\"count\">"))?;
        let rest = &page.body[at..];
        let start = rest.find("count\">")? + 7;
        let end = rest[start..].find('<')? + start;
        Some(rest[start..end].to_owned())
    };
    let all = staff.get_with("/staff/inbox", EN);
    assert_eq!(tab(&all, "New").as_deref(), Some("2"));
    assert_eq!(tab(&all, "Being handled").as_deref(), Some("2"));
    assert_eq!(tab(&all, "Waiting on customer").as_deref(), Some("1"));
    assert_eq!(tab(&all, "Resolved").as_deref(), Some("1"));
    assert_eq!(tab(&all, "Active").as_deref(), Some("5"));
    let shop_only = staff.get_with("/staff/inbox?location=shop&status=resolved", EN);
    assert_eq!(tab(&shop_only, "New").as_deref(), Some("1"));
    assert_eq!(tab(&shop_only, "Being handled").as_deref(), Some("2"));
    assert_eq!(tab(&shop_only, "Waiting on customer").as_deref(), Some("0"));
    assert_eq!(tab(&shop_only, "Active").as_deref(), Some("3"));
    assert_eq!(shown(&shop_only), vec![made[2].clone()]);
    // A tab keeps the other filters.
    assert!(shop_only
        .body
        .contains("href=\"/staff/inbox?location=shop&amp;status=new\""));
});

both!(pages_follow_each_other_with_the_filters, |backend| {
    let app = shop(backend);
    let mut at_shop = Vec::new();
    for n in 0..62 {
        at_shop.push(
            app.complain(2)
                .message(&format!("Klacht {n}"))
                .submit()
                .reference,
        );
        if n % 10 == 0 {
            app.complain(2)
                .at("other")
                .message(&format!("Klacht elders {n}"))
                .submit();
        }
    }
    // Half of them have a due moment, so the due-first order crosses from
    // dated to undated tickets inside the first page and continues after.
    undate_all(&app);
    for (n, reference) in at_shop.iter().enumerate().filter(|(n, _)| n % 2 == 0) {
        set(
            &app,
            reference,
            Set {
                due_in_minutes: Some(600 - n as i64 * 7),
                ..Set::default()
            },
        );
    }
    let staff = app.login(STAFF);
    let wanted: HashSet<String> = at_shop.iter().cloned().collect();
    for path in [
        "/staff/inbox?location=shop",
        "/staff/inbox?location=shop&sort=newest",
        "/staff/inbox?location=shop&q=klacht",
    ] {
        let (seen, links) = all_pages(&staff, path);
        assert_eq!(links.len(), 1, "{path}: two pages");
        assert!(
            links[0].contains("location=shop"),
            "{path}: the filter carries over: {}",
            links[0]
        );
        let unique: HashSet<String> = seen.iter().cloned().collect();
        assert_eq!(seen.len(), unique.len(), "{path}: no ticket twice");
        assert_eq!(
            unique, wanted,
            "{path}: every ticket at the location, none elsewhere"
        );
    }
    // Newest first across pages.
    let (newest, _) = all_pages(&staff, "/staff/inbox?location=shop&sort=newest");
    let expected: Vec<String> = at_shop.iter().rev().cloned().collect();
    assert_eq!(newest, expected);
    // Due first across pages: dated by due moment, then undated newest first.
    let (due, _) = all_pages(&staff, "/staff/inbox?location=shop");
    let mut dated: Vec<(usize, &String)> = at_shop
        .iter()
        .enumerate()
        .filter(|(n, _)| n % 2 == 0)
        .collect();
    dated.sort_by_key(|(n, _)| 600 - *n as i64 * 7);
    let mut expected: Vec<String> = dated.into_iter().map(|(_, r)| r.clone()).collect();
    expected.extend(
        at_shop
            .iter()
            .enumerate()
            .rev()
            .filter(|(n, _)| n % 2 == 1)
            .map(|(_, r)| r.clone()),
    );
    assert_eq!(due, expected);
});

both!(
    search_finds_reference_words_replies_name_and_email,
    |backend| {
        let app = shop(backend);
        let cake = app
            .complain(1)
            .message("De appeltaart was droog en oud.")
            .contact("Femke Bakker", "Femke.Bakker@Example.com")
            .submit()
            .reference;
        let coffee = app
            .complain(2)
            .at("other")
            .message("Lauwe koffie.")
            .submit()
            .reference;
        let plain = app.complain(1).submit().reference;
        set(
            &app,
            &coffee,
            Set {
                status: Some("closed"),
                ..Set::default()
            },
        );
        let staff = app.login(STAFF);

        // A staff reply's words are found too.
        let ticket = staff
            .get(&format!("/staff/inbox?q={plain}"))
            .link("/staff/tickets/")
            .expect("the ticket by its reference");
        let res = staff.ticket_action(&ticket, "reply", &[("body", "We sturen u een tegoedbon.")]);
        assert_eq!(res.status, 303, "{}", res.body);

        let search = |q: &str| shown(&staff.get(&format!("/staff/inbox?q={}", urlencode(q))));
        let lowercase = cake.to_lowercase();
        for (query, found, why) in [
            (cake.as_str(), &cake, "by reference"),
            (lowercase.as_str(), &cake, "reference in lowercase"),
            ("appeltaart", &cake, "a word of the message"),
            ("APPELTAART droog", &cake, "words in any case"),
            ("koffie", &coffee, "closed tickets are found too"),
            ("tegoedbon", &plain, "a word of a reply"),
            ("Femke Bakker", &cake, "the customer's name"),
            ("Femke.Bakker@Example.com", &cake, "the exact address"),
            (
                "femke.bakker@example.com",
                &cake,
                "the address in lowercase",
            ),
        ] {
            assert_eq!(search(query), vec![found.clone()], "{why}");
        }
        // Combined with a filter.
        assert!(shown(&staff.get("/staff/inbox?q=appeltaart&location=other")).is_empty());
        assert!(shown(&staff.get("/staff/inbox?q=koffie&status=new")).is_empty());

        let nothing = staff.get_with("/staff/inbox?q=%3Cb%3Ezebra%3C%2Fb%3E", EN);
        assert!(shown(&nothing).is_empty());
        assert!(
            nothing
                .body
                .contains("Nothing found for “&lt;b&gt;zebra&lt;/b&gt;”."),
            "a search that matches nothing says so: {}",
            nothing.body
        );
        assert!(search("\"*)(:").is_empty(), "operators alone find nothing");
        // Full-text operators around real words are read as plain text: no
        // syntax error, no OR, no prefix match, no exclusion.
        assert_eq!(
            search("\"appeltaart\" (droog)*:"),
            vec![cake.clone()],
            "quotes, brackets and stars around words"
        );
        assert!(search("appel*").is_empty(), "no prefix matching");
        assert_eq!(
            search("-koffie"),
            vec![coffee.clone()],
            "a minus does not exclude"
        );
    }
);

fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("q", s)])
        .unwrap_or_default()
        .trim_start_matches("q=")
        .to_owned()
}

#[test]
fn query_plans_walk_an_index_for_every_filter() {
    let app = TestApp::with_shop(Backend::Sqlite);
    let now = app.clock.now();
    let queries = [
        "",
        "sort=newest",
        "status=new",
        "status=waiting&sort=newest",
        "status=resolved",
        "status=closed",
        "status=closed&sort=newest",
        "status=all",
        "status=all&sort=newest",
        "location=shop",
        "location=shop&spot=table-4",
        "status=all&location=shop&spot=table-4&sort=newest",
        "status=closed&location=shop",
        "status=all&assignee=me&sort=newest",
        "status=all&assignee=nobody",
        "category=service&face=1",
        "status=all&category=service&face=1&sort=newest",
        "overdue=1",
        "overdue=1&sort=newest",
        "q=koffie",
        "q=koffie&location=shop&status=new",
        "q=TL-ABCD-EFGH",
        "q=jan@example.com",
    ];
    for query in queries {
        let plans = app.read(move |c| {
            let params: tellus::domain::inbox::Params =
                serde_urlencoded::from_str(query).expect("query string");
            let choices = tellus::domain::inbox::Choices::load(c)?;
            let request = tellus::domain::inbox::resolve(&params, 1, &choices);
            tellus::domain::inbox::explain(c, &request, 50, now)
        });
        let steps: Vec<&String> = plans.iter().filter(|l| l.starts_with("  ")).collect();
        assert!(!steps.is_empty(), "{query}: plans");
        for step in steps {
            let step = step.trim();
            if step == "SCAN capped" {
                // The capped count reads at most its cap from the subquery.
                continue;
            }
            // Every table is reached through an index or its primary key, and
            // no result is sorted after reading everything.
            let bare_scan = step.starts_with("SCAN ")
                && !step.contains("USING INDEX")
                && !step.contains("USING COVERING INDEX")
                && !step.contains("VIRTUAL TABLE");
            assert!(!bare_scan, "{query}: {step}\n{}", plans.join("\n"));
            // One address's tickets are few: sorting them after reading is fine.
            let few = query.contains('@');
            assert!(
                few || !step.contains("TEMP B-TREE"),
                "{query}: {step}\n{}",
                plans.join("\n")
            );
        }
    }
}

both!(edited_page_links_get_a_first_page, |backend| {
    let app = shop(backend);
    let reference = app.complain(1).message("Koud.").submit().reference;
    let staff = app.login(STAFF);
    // Cursors far outside any stored moment (PostgreSQL cannot compare them).
    for path in [
        "/staff/inbox?before=n-9000000000000000_1",
        "/staff/inbox?before=d9000000000000000000_1",
        "/staff/quarantine?before=-9000000000000000_1",
    ] {
        let page = staff.get(path);
        assert_eq!(page.status, 200, "{path}: {}", page.body);
    }
    assert_eq!(
        shown(&staff.get("/staff/inbox?before=n-9000000000000000_1")),
        vec![reference],
        "an unreadable cursor means the first page"
    );
});
