//! The raw JSON escape hatch: endpoints this crate does not type yet.
//!
//! These methods take a path under the base URL (`"/bulk_requests/3f2a..."`), a query or a JSON
//! body, and go through the same token handling, rate-limit governor, retries, tracing and
//! errors as the typed handlers. Decode into your own type, or into [`serde_json::Value`].

use reqwest::Method;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::client::{Call, Client, RequestOptions};
use crate::error::{Error, Result};

impl Client {
    /// `GET` a path under the base URL with `query`, decoding the body as `T`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] for a path outside the base URL; otherwise any error of a
    /// request ([`Error::Api`], [`Error::Decode`], [`Error::Transport`]...).
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # async fn run(client: greenhouse_harvest::Client) -> greenhouse_harvest::Result<()> {
    /// let interviews: Vec<serde_json::Value> =
    ///     client.get_json("/job_interviews", &[("job_ids", "12,13")]).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn get_json<T, Q>(&self, path: &str, query: &Q) -> Result<T>
    where
        T: DeserializeOwned,
        Q: Serialize + ?Sized,
    {
        let url = self.url_with_query(path, query)?;
        self.call_json::<T>(Method::GET, url, None, RequestOptions::default())
            .await?
            .ok_or_else(|| empty_body(&Method::GET, path))
    }

    /// `POST` a JSON body. Returns `None` when the response has no body (e.g. 204). A POST
    /// is not retried once it may have reached the server.
    ///
    /// # Errors
    ///
    /// As [`Client::get_json`], plus [`Error::InvalidRequest`] when `body` cannot be serialized.
    pub async fn post_json<T, B>(&self, path: &str, body: &B) -> Result<Option<T>>
    where
        T: DeserializeOwned,
        B: Serialize + ?Sized,
    {
        self.send_json(Method::POST, path, body, RequestOptions::default()).await
    }

    /// `PATCH` a JSON body. Returns `None` when the response has no body.
    ///
    /// # Errors
    ///
    /// As [`Client::post_json`].
    pub async fn patch_json<T, B>(&self, path: &str, body: &B) -> Result<Option<T>>
    where
        T: DeserializeOwned,
        B: Serialize + ?Sized,
    {
        self.send_json(Method::PATCH, path, body, RequestOptions::default()).await
    }

    /// `PUT` a JSON body. Returns `None` when the response has no body.
    ///
    /// # Errors
    ///
    /// As [`Client::post_json`].
    pub async fn put_json<T, B>(&self, path: &str, body: &B) -> Result<Option<T>>
    where
        T: DeserializeOwned,
        B: Serialize + ?Sized,
    {
        self.send_json(Method::PUT, path, body, RequestOptions::default()).await
    }

    /// `DELETE` a path. Returns `None` when the response has no body.
    ///
    /// # Errors
    ///
    /// As [`Client::get_json`].
    pub async fn delete_json<T: DeserializeOwned>(&self, path: &str) -> Result<Option<T>> {
        let url = self.endpoint(path)?;
        self.call_json(Method::DELETE, url, None, RequestOptions::default()).await
    }

    /// Send any method with a JSON body and per-request options.
    ///
    /// # Errors
    ///
    /// As [`Client::post_json`].
    pub async fn send_json<T, B>(
        &self,
        method: Method,
        path: &str,
        body: &B,
        options: RequestOptions,
    ) -> Result<Option<T>>
    where
        T: DeserializeOwned,
        B: Serialize + ?Sized,
    {
        let url = self.endpoint(path)?;
        let body = serde_json::to_vec(body)
            .map_err(|err| Error::InvalidRequest(format!("cannot serialize the body: {err}")))?;
        self.call_json(method, url, Some(body), options).await
    }

    pub(crate) async fn call_json<T: DeserializeOwned>(
        &self,
        method: Method,
        url: url::Url,
        json_body: Option<Vec<u8>>,
        options: RequestOptions,
    ) -> Result<Option<T>> {
        let path = url.path().to_owned();
        let reply = self.execute(Call { method: method.clone(), url, json_body, options }).await?;
        // A 204, or any success without a body, is a success with nothing to decode.
        if reply.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(None);
        }
        Error::decode_json(&method, &path, reply.status, &reply.body).map(Some)
    }
}

fn empty_body(method: &Method, path: &str) -> Error {
    Error::Decode {
        endpoint: format!("{method} {path}"),
        path: ".".to_owned(),
        status: reqwest::StatusCode::NO_CONTENT,
        body: String::new(),
        source: serde::de::Error::custom("the response has no body"),
    }
}
