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
