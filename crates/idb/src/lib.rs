//! IndexedDB as Rust futures: the browser's disk for the playground.
//!
//! This crate knows IndexedDB and nothing of Kafka. It opens a database with a
//! fixed set of object stores, and puts and gets values in transactions whose
//! durability is chosen per write (`strict` for what Kafka would fsync,
//! `relaxed` for write-behind). The storage engine's `Storage` backend for the
//! browser is built on it. It runs in a window or in a worker.

use js_sys::{Array, Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbFactory, IdbRequest, IdbTransaction};

/// What went wrong, with the browser's own message.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum IdbError {
    #[error("IndexedDB is not available here")]
    Unavailable,
    #[error("IndexedDB error: {0}")]
    Browser(String),
}

impl From<JsValue> for IdbError {
    fn from(value: JsValue) -> Self {
        let text = value
            .dyn_ref::<web_sys::DomException>()
            .map(|e| format!("{}: {}", e.name(), e.message()))
            .or_else(|| value.as_string())
            .unwrap_or_else(|| format!("{value:?}"));
        IdbError::Browser(text)
    }
}

/// How hard a write transaction insists on reaching the disk before it completes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Durability {
    /// Flushed to the disk before `complete` (what Kafka's fsync stands for).
    Strict,
    /// Complete once the browser has the data; it may still be lost to a crash.
    Relaxed,
}

/// An open database.
#[derive(Debug)]
pub struct Database {
    db: IdbDatabase,
}

fn factory() -> Result<IdbFactory, IdbError> {
    let global = js_sys::global();
    let factory = if let Some(window) = global.dyn_ref::<web_sys::Window>() {
        window.indexed_db()
    } else if let Some(worker) = global.dyn_ref::<web_sys::WorkerGlobalScope>() {
        worker.indexed_db()
    } else {
        return Err(IdbError::Unavailable);
    };
    factory?.ok_or(IdbError::Unavailable)
}

/// Resolves when `request` succeeds, with its result.
async fn request_done(request: &IdbRequest) -> Result<JsValue, IdbError> {
    let promise = Promise::new(&mut |resolve: Function, reject: Function| {
        let req = request.clone();
        let on_success = Closure::once_into_js(move |_: web_sys::Event| {
            let _ = resolve.call1(
                &JsValue::UNDEFINED,
                &req.result().unwrap_or(JsValue::UNDEFINED),
            );
        });
        let req = request.clone();
        let on_error = Closure::once_into_js(move |_: web_sys::Event| {
            let error = req
                .error()
                .ok()
                .flatten()
                .map(JsValue::from)
                .unwrap_or(JsValue::NULL);
            let _ = reject.call1(&JsValue::UNDEFINED, &error);
        });
        request.set_onsuccess(Some(on_success.unchecked_ref()));
        request.set_onerror(Some(on_error.unchecked_ref()));
    });
    Ok(JsFuture::from(promise).await?)
}

/// Resolves when `tx` has committed (`complete`), or fails if it aborts.
async fn transaction_done(tx: &IdbTransaction) -> Result<(), IdbError> {
    let promise = Promise::new(&mut |resolve: Function, reject: Function| {
        let on_complete = Closure::once_into_js(move |_: web_sys::Event| {
            let _ = resolve.call0(&JsValue::UNDEFINED);
        });
        let t = tx.clone();
        let reject_again = reject.clone();
        let on_error = Closure::once_into_js(move |_: web_sys::Event| {
            let error = t
                .error()
                .map(JsValue::from)
                .unwrap_or(JsValue::from_str("transaction failed"));
            let _ = reject.call1(&JsValue::UNDEFINED, &error);
        });
        let on_abort = Closure::once_into_js(move |_: web_sys::Event| {
            let _ = reject_again.call1(
                &JsValue::UNDEFINED,
                &JsValue::from_str("transaction aborted"),
            );
        });
        tx.set_oncomplete(Some(on_complete.unchecked_ref()));
        tx.set_onerror(Some(on_error.unchecked_ref()));
        tx.set_onabort(Some(on_abort.unchecked_ref()));
    });
    JsFuture::from(promise).await?;
    Ok(())
}

impl Database {
    /// Opens (creating if needed) database `name` with the object stores `stores`.
    /// Stores are fixed for a version: new stores need a new `version`.
    pub async fn open(name: &str, version: u32, stores: &[&str]) -> Result<Database, IdbError> {
        let request = factory()?.open_with_u32(name, version)?;
        let names: Vec<String> = stores.iter().map(|s| s.to_string()).collect();
        let req = request.clone();
        let on_upgrade = Closure::<dyn FnMut(web_sys::IdbVersionChangeEvent)>::new(move |_| {
            let Ok(result) = req.result() else { return };
            let db: IdbDatabase = result.unchecked_into();
            let existing = db.object_store_names();
            for store in &names {
                if !existing.contains(store) {
                    let _ = db.create_object_store(store);
                }
            }
        });
        request.set_onupgradeneeded(Some(on_upgrade.as_ref().unchecked_ref()));
        let result = request_done(&request).await;
        request.set_onupgradeneeded(None);
        drop(on_upgrade);
        Ok(Database {
            db: result?.unchecked_into(),
        })
    }

    /// Deletes database `name` and everything in it.
    pub async fn delete(name: &str) -> Result<(), IdbError> {
        let request = factory()?.delete_database(name)?;
        request_done(&request).await.map(|_| ())
    }

    fn transaction(
        &self,
        store: &str,
        mode: &str,
        durability: Durability,
    ) -> Result<IdbTransaction, IdbError> {
        let options = js_sys::Object::new();
        let durability = match durability {
            Durability::Strict => "strict",
            Durability::Relaxed => "relaxed",
        };
        js_sys::Reflect::set(&options, &"durability".into(), &durability.into())?;
        let stores = Array::of1(&JsValue::from_str(store));
        // `transaction(stores, mode, { durability })`: web-sys offers the
        // three-argument form only behind its unstable-API flag.
        let transaction: Function =
            js_sys::Reflect::get(&self.db, &"transaction".into())?.dyn_into()?;
        let tx = transaction.call3(&self.db, &stores, &mode.into(), &options)?;
        Ok(tx.dyn_into()?)
    }

    /// Writes `value` under `key` and waits until the transaction has committed.
    pub async fn put(
        &self,
        store: &str,
        key: &JsValue,
        value: &JsValue,
        durability: Durability,
    ) -> Result<(), IdbError> {
        let tx = self.transaction(store, "readwrite", durability)?;
        tx.object_store(store)?.put_with_key(value, key)?;
        transaction_done(&tx).await
    }

    /// Reads the value under `key`, `None` if there is none.
    pub async fn get(&self, store: &str, key: &JsValue) -> Result<Option<JsValue>, IdbError> {
        let tx = self.transaction(store, "readonly", Durability::Relaxed)?;
        let request = tx.object_store(store)?.get(key)?;
        let value = request_done(&request).await?;
        Ok((!value.is_undefined()).then_some(value))
    }

    pub fn close(&self) {
        self.db.close();
    }
}
