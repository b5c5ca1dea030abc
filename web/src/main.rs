//! Mounts the playground's page.

fn main() {
    yew::Renderer::<web::App>::new().render();
}
