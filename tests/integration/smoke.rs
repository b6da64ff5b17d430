//! A first look: the server starts, answers and shows the form.

use crate::both;
use crate::support::TestApp;

both!(health_and_form, |backend| {
    let app = TestApp::with_shop(backend);
    let client = app.client();
    assert_eq!(client.get("/healthz").status, 200);
    let form = client.get("/f/shop");
    assert_eq!(form.status, 200);
    assert!(form.body.contains("Bakkerij De Zon"));
    assert_eq!(client.get("/f/nope").status, 404);
});

both!(ready_only_while_the_database_takes_writes, |backend| {
    use crate::support::Backend;
    let app = TestApp::with_shop(backend);
    let client = app.client();
    let ready = client.get("/readyz");
    assert_eq!((ready.status, ready.body.as_str()), (200, "ready\n"));
    match backend {
        // Every write of the probe fails, as on a full disk.
        Backend::Sqlite => {
            let run = |sql: &'static str| {
                app.write(move |c| {
                    use diesel::connection::SimpleConnection;
                    c.batch_execute(sql)?;
                    Ok(())
                })
            };
            run("CREATE TRIGGER full_u BEFORE UPDATE ON job_runs BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;
                 CREATE TRIGGER full_i BEFORE INSERT ON job_runs BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;");
            let res = client.get("/readyz");
            assert_eq!(res.status, 503, "{}", res.body);
            assert!(res.body.contains("does not take writes"), "{}", res.body);
            assert_eq!(client.get("/healthz").status, 200, "still alive");
            run("DROP TRIGGER full_u; DROP TRIGGER full_i;");
        }
        // Another session holds the table the probe writes: the answer
        // comes within its bound instead of hanging.
        Backend::Postgres => {
            use diesel::{Connection, RunQueryDsl};
            let tellus::config::DatabaseUrl::Postgres(url) = &app.state.config.database_url else {
                unreachable!("a PostgreSQL app")
            };
            let mut other = diesel::PgConnection::establish(url).expect("a second session");
            diesel::sql_query("BEGIN").execute(&mut other).unwrap();
            diesel::sql_query("LOCK TABLE job_runs IN ACCESS EXCLUSIVE MODE")
                .execute(&mut other)
                .unwrap();
            let started = std::time::Instant::now();
            let res = client.get("/readyz");
            let took = started.elapsed();
            assert_eq!(res.status, 503, "{}", res.body);
            assert!(res.body.contains("within 3 s"), "{}", res.body);
            assert!(
                took < std::time::Duration::from_secs(6),
                "answered in {took:?}"
            );
            diesel::sql_query("COMMIT").execute(&mut other).unwrap();
        }
    }
    assert_eq!(client.get("/readyz").status, 200, "ready again");
});

both!(
    a_database_that_does_not_answer_gets_a_prompt_no_and_stores_nothing,
    |backend| {
        use crate::support::Backend;
        let app = TestApp::with_shop(backend);
        let client = app.client();
        // Every writer busy for longer than a change may wait.
        let writers = match backend {
            Backend::Sqlite => 1,
            Backend::Postgres => 4,
        };
        // One at a time, so each lands on its own writer.
        let blockers: Vec<_> = (0..writers)
            .map(|_| {
                let db = app.state.db.clone();
                let blocker = std::thread::spawn(move || {
                    db.write_blocking(|_| {
                        std::thread::sleep(std::time::Duration::from_secs(8));
                        Ok(())
                    })
                });
                std::thread::sleep(std::time::Duration::from_millis(150));
                blocker
            })
            .collect();
        std::thread::sleep(std::time::Duration::from_millis(300));
        let started = std::time::Instant::now();
        let res = app.submit(
            &client,
            "shop",
            &[("face", "1"), ("message", "Niemand nam op.")],
        );
        let took = started.elapsed();
        assert_eq!(res.status, 503, "{}", res.body);
        assert!(
            took < std::time::Duration::from_secs(7),
            "answered after {took:?}"
        );
        assert!(res.body.contains("Probeer het zo opnieuw"), "{}", res.body);
        for blocker in blockers {
            blocker.join().unwrap().unwrap();
        }
        // The change given up is never made later.
        std::thread::sleep(std::time::Duration::from_millis(300));
        assert_eq!(app.count("SELECT COUNT(*) AS n FROM feedback"), 0);
        let res = app.submit(&client, "shop", &[("face", "1"), ("message", "Nu wel.")]);
        assert_eq!(res.status, 200, "the next one is stored");
        assert_eq!(app.count("SELECT COUNT(*) AS n FROM feedback"), 1);
    }
);
