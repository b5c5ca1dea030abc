//! A terminal on the page: xterm.js bound to the bridge.
//!
//! Keys go to the shell; what the shell prints is written to xterm.js once per
//! animation frame. Ctrl-C copies when text is selected (else it interrupts),
//! Ctrl-V and Shift-Insert paste through the browser's paste event.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::events::EventListener;
use gloo::render::{request_animation_frame, AnimationFrame};
use shell::PlaygroundConfig;
use wasm_bindgen::prelude::*;
use yew::prelude::*;

use crate::bridge::Bridge;
use crate::xterm::{FitAddon, Terminal};

/// Lines of scrollback each terminal keeps.
const SCROLLBACK_LINES: u32 = 10_000;

const WELCOME: &str =
    "\x1b[2mWelcome to kafka-1. Kafka 0.8.0, the release of the book, is unpacked here; \
Kafka 2.8.2 is next to it. Type help to see what this shell can do.\x1b[0m\r\n";

#[function_component(TerminalView)]
pub fn terminal_view() -> Html {
    let container = use_node_ref();
    {
        let container = container.clone();
        use_effect_with((), move |_| {
            let mounted = container
                .cast::<web_sys::HtmlElement>()
                .map(MountedTerminal::mount);
            move || drop(mounted)
        });
    }
    html! { <div class="terminal-pane" data-testid="terminal" ref={container}></div> }
}

/// Everything alive while the terminal is on the page; dropping it stops the loop.
struct MountedTerminal {
    term: Terminal,
    _closures: Vec<JsValue>,
    _resize: EventListener,
    _frame: Rc<RefCell<Option<AnimationFrame>>>,
}

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

fn terminal_options() -> JsValue {
    let options = js_sys::Object::new();
    let set = |k: &str, v: JsValue| {
        let _ = js_sys::Reflect::set(&options, &JsValue::from_str(k), &v);
    };
    set("scrollback", SCROLLBACK_LINES.into());
    set("cursorBlink", true.into());
    set("convertEol", false.into());
    set("fontSize", 14.into());
    set(
        "fontFamily",
        "'DejaVu Sans Mono', 'Menlo', 'Consolas', 'Noto Sans Mono CJK KR', monospace".into(),
    );
    let theme = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&theme, &"background".into(), &"#1e1f29".into());
    let _ = js_sys::Reflect::set(&theme, &"foreground".into(), &"#e6e6e6".into());
    set("theme", theme.into());
    options.into()
}

impl MountedTerminal {
    fn mount(element: web_sys::HtmlElement) -> MountedTerminal {
        let term = Terminal::new(&terminal_options());
        let fit = FitAddon::new();
        term.load_addon(&fit);
        term.open(&element);
        fit.fit();
        let (cols, rows) = (
            term.cols().clamp(1, 1000) as u16,
            term.rows().clamp(1, 1000) as u16,
        );
        let bridge = Rc::new(RefCell::new(Bridge::new(
            PlaygroundConfig::default(),
            cols,
            rows,
            now_ms(),
        )));
        term.write(WELCOME);
        term.write(&bridge.borrow_mut().tick(now_ms()));
        expose_for_tests(&term);

        let mut closures = Vec::new();
        let on_data = {
            let bridge = bridge.clone();
            let term = term.clone();
            Closure::<dyn FnMut(String)>::new(move |data: String| {
                let out = bridge.borrow_mut().input(&data);
                term.write(&out);
            })
        };
        term.on_data(&on_data);
        closures.push(on_data.into_js_value());

        let key_handler = {
            let term = term.clone();
            Closure::<dyn FnMut(web_sys::KeyboardEvent) -> bool>::new(
                move |e: web_sys::KeyboardEvent| handle_key(&term, &e),
            )
        };
        term.attach_custom_key_event_handler(&key_handler);
        closures.push(key_handler.into_js_value());

        let resize = {
            let bridge = bridge.clone();
            let term = term.clone();
            EventListener::new(&gloo::utils::window(), "resize", move |_| {
                fit.fit();
                bridge.borrow_mut().resize(
                    term.cols().clamp(1, 1000) as u16,
                    term.rows().clamp(1, 1000) as u16,
                );
            })
        };

        let frame = Rc::new(RefCell::new(None));
        schedule_frame(frame.clone(), bridge, term.clone());
        term.focus();
        MountedTerminal {
            term,
            _closures: closures,
            _resize: resize,
            _frame: frame,
        }
    }
}

impl Drop for MountedTerminal {
    fn drop(&mut self) {
        self.term.dispose();
    }
}

/// Each animation frame: move virtual time with the clock, write what the shell printed.
fn schedule_frame(
    slot: Rc<RefCell<Option<AnimationFrame>>>,
    bridge: Rc<RefCell<Bridge>>,
    term: Terminal,
) {
    // The frame holds its slot weakly: when the terminal leaves the page and
    // drops the slot, the pending frame is cancelled and the loop ends.
    let next_slot = Rc::downgrade(&slot);
    let handle = request_animation_frame(move |_| {
        let out = bridge.borrow_mut().tick(now_ms());
        if !out.is_empty() {
            term.write(&out);
        }
        if let Some(slot) = next_slot.upgrade() {
            schedule_frame(slot, bridge, term);
        }
    });
    *slot.borrow_mut() = Some(handle);
}

/// Ctrl-C copies a selection instead of interrupting; Ctrl-V and Shift-Insert
/// are left to the browser, whose paste event xterm.js turns into typed text.
fn handle_key(term: &Terminal, e: &web_sys::KeyboardEvent) -> bool {
    if e.type_() != "keydown" {
        return true;
    }
    let key = e.key();
    let ctrl = e.ctrl_key() || e.meta_key();
    if ctrl && !e.shift_key() && key.eq_ignore_ascii_case("c") && term.has_selection() {
        let text = term.get_selection();
        if let Some(window) = web_sys::window() {
            let _ = window.navigator().clipboard().write_text(&text);
        }
        term.clear_selection();
        return false;
    }
    let paste = (ctrl && key.eq_ignore_ascii_case("v")) || (e.shift_key() && key == "Insert");
    !paste
}

/// The page's tests read the terminal's buffer through `window.kplayTerminal`.
fn expose_for_tests(term: &Terminal) {
    if let Some(window) = web_sys::window() {
        let _ = js_sys::Reflect::set(&window, &JsValue::from_str("kplayTerminal"), term);
    }
}
