//! The page's code in a real browser (headless Chromium): the app mounts and
//! shows a prompt, the engine answers typed commands when compiled to wasm,
//! and IndexedDB keeps what is written to it.

use std::time::Duration;

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

async fn sleep(d: Duration) {
    gloo::timers::future::sleep(d).await;
}

/// The text the terminal shows, read from xterm.js's DOM renderer.
fn screen_text(root: &web_sys::Element) -> String {
    root.query_selector(".xterm-rows")
        .ok()
        .flatten()
        .and_then(|rows| rows.text_content())
        .unwrap_or_default()
        .replace('\u{a0}', " ")
}

#[wasm_bindgen_test]
async fn the_app_mounts_and_shows_the_prompt() {
    let document = gloo::utils::document();
    let root = document.create_element("div").unwrap();
    root.set_attribute("style", "height: 480px; width: 800px; display: flex;")
        .unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<web::App>::with_root(root.clone()).render();
    let mut text = String::new();
    for _ in 0..100 {
        sleep(Duration::from_millis(50)).await;
        text = screen_text(&root);
        if text.contains("root@kafka-1:~/kafka_2.8.0-0.8.0#") {
            break;
        }
    }
    assert!(
        text.contains("root@kafka-1:~/kafka_2.8.0-0.8.0#"),
        "screen: {text:?}"
    );
    let pane = root.query_selector("[data-testid=terminal]").unwrap();
    assert!(
        pane.is_some(),
        "the terminal's container is marked for tests"
    );
}

#[wasm_bindgen_test]
fn the_engine_runs_commands_in_wasm() {
    let mut bridge = web::bridge::Bridge::new(shell::PlaygroundConfig::default(), 80, 24, 0.0);
    let first = bridge.tick(0.0);
    assert!(first.contains("kafka_2.8.0-0.8.0"), "{first:?}");
    let out = bridge.input("ls config\r");
    assert!(
        out.contains("server.properties") && out.contains("zookeeper.properties"),
        "{out:?}"
    );
    // Input nested as deep as the parser allows runs within the page's stack.
    let levels = shell::syntax::NESTING_MAX - 2;
    let deep = format!("echo {}x{}\r", "$(echo ".repeat(levels), ")".repeat(levels));
    assert!(bridge.input(&deep).contains("\r\nx\r\n"));
    // Virtual time follows the page's clock: two seconds of sleep end after two seconds.
    bridge.input("sleep 2; echo woke\r");
    assert!(!bridge.tick(1_500.0).contains("woke"));
    assert!(bridge.tick(2_100.0).contains("woke"));
}

#[wasm_bindgen_test]
async fn indexeddb_keeps_a_written_record() {
    let name = "kplay-browser-test";
    let _ = idb::Database::delete(name).await;
    let db = idb::Database::open(name, 1, &["chunks", "meta"])
        .await
        .unwrap();
    let key = js_sys::Array::of3(
        &"kafka-1/disk0".into(),
        &"test-0/00000000000000000000.log".into(),
        &0.into(),
    );
    let bytes: Vec<u8> = (0..65_536u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    let value = js_sys::Uint8Array::from(bytes.as_slice());
    db.put("chunks", &key, &value, idb::Durability::Strict)
        .await
        .unwrap();
    db.close();

    // A new connection reads back the same bytes.
    let db = idb::Database::open(name, 1, &["chunks", "meta"])
        .await
        .unwrap();
    let read = db
        .get("chunks", &key)
        .await
        .unwrap()
        .expect("the record is there");
    let read: js_sys::Uint8Array = read.dyn_into().unwrap();
    assert_eq!(read.to_vec(), bytes);
    let missing = db
        .get("chunks", &js_sys::Array::of1(&"nothing".into()))
        .await
        .unwrap();
    assert!(missing.is_none());
    db.close();
    idb::Database::delete(name).await.unwrap();
}
