//! The page: a header and the terminal.

use yew::prelude::*;

use super::terminal::TerminalView;

#[function_component(App)]
pub fn app() -> Html {
    html! {
        <div class="app">
            <header class="header">
                <span class="title">{ "Kafka Playground" }</span>
                <span class="subtitle">{ "a Kafka cluster in your browser · kafka-1" }</span>
            </header>
            <main class="workspace">
                <TerminalView />
            </main>
        </div>
    }
}
