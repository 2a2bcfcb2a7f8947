//! `onnx-edge serve DIR`: a static server for demos and tests, bound to 127.0.0.1 by default.
//! MIME types (application/wasm for streaming compilation), CORS, ETag with 304s, immutable
//! caching for content-addressed files, optional cross-origin isolation headers.
use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use tiny_http::{Header, Method, Request, Response, Server};

/// Arguments of `serve`.
#[derive(clap::Args)]
pub struct Args {
    /// The folder to serve.
    dir: PathBuf,
    /// Port; 0 picks a free one (the first line printed says which).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Address to bind (loopback unless you mean it).
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// Send Cross-Origin-Opener-Policy and Cross-Origin-Embedder-Policy (SharedArrayBuffer).
    #[arg(long)]
    coop_coep: bool,
    /// Stop after this many seconds (0: run until stopped).
    #[arg(long, default_value_t = 0)]
    lifetime_secs: u64,
    /// Stop after this many requests (0: no limit).
    #[arg(long, default_value_t = 0)]
    max_requests: u64,
}

fn content_type(path: &Path) -> &'static str {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
    {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "txt" | "md" => "text/plain; charset=utf-8",
        "webmanifest" => "application/manifest+json",
        _ => "application/octet-stream",
    }
}

/// A file name holding a sha256 (64 hex digits) never changes content.
fn content_addressed(path: &Path) -> bool {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    name.as_bytes()
        .windows(64)
        .any(|w| w.iter().all(u8::is_ascii_hexdigit))
}

fn decode_path(url: &str) -> Option<PathBuf> {
    let raw = url.split(['?', '#']).next().unwrap_or("/");
    let mut bytes = Vec::with_capacity(raw.len());
    let mut it = raw.bytes();
    while let Some(b) = it.next() {
        if b == b'%' {
            let hex = [it.next()?, it.next()?];
            bytes.push(u8::from_str_radix(std::str::from_utf8(&hex).ok()?, 16).ok()?);
        } else {
            bytes.push(b);
        }
    }
    let path = PathBuf::from(String::from_utf8(bytes).ok()?.trim_start_matches('/'));
    // Only plain names: no `..`, no root, no prefix.
    path.components()
        .all(|c| matches!(c, Component::Normal(_)))
        .then_some(path)
}

fn header(name: &str, value: &str) -> Option<Header> {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).ok()
}

fn respond(root: &Path, request: Request, coop_coep: bool) -> std::io::Result<()> {
    let mut headers: Vec<Header> = [
        header("Access-Control-Allow-Origin", "*"),
        header("Access-Control-Expose-Headers", "ETag, Content-Length"),
        header("Access-Control-Allow-Headers", "If-None-Match, Range"),
    ]
    .into_iter()
    .flatten()
    .collect();
    if coop_coep {
        headers.extend(
            [
                header("Cross-Origin-Opener-Policy", "same-origin"),
                header("Cross-Origin-Embedder-Policy", "require-corp"),
                header("Cross-Origin-Resource-Policy", "cross-origin"),
            ]
            .into_iter()
            .flatten(),
        );
    }
    let with = |mut r: Response<std::io::Cursor<Vec<u8>>>, extra: &[Header]| {
        for h in headers.iter().chain(extra) {
            r.add_header(h.clone());
        }
        r
    };
    match request.method() {
        Method::Options => {
            return request.respond(with(
                Response::from_data(Vec::new()).with_status_code(204),
                &[],
            ))
        }
        Method::Get | Method::Head => {}
        _ => {
            return request.respond(with(
                Response::from_string("method not allowed").with_status_code(405),
                &[],
            ))
        }
    }
    let Some(mut rel) = decode_path(request.url()) else {
        return request.respond(with(
            Response::from_string("bad path").with_status_code(400),
            &[],
        ));
    };
    let mut path = root.join(&rel);
    if path.is_dir() {
        rel = rel.join("index.html");
        path = root.join(&rel);
    }
    let Ok(bytes) = std::fs::read(&path) else {
        return request.respond(with(
            Response::from_string("not found").with_status_code(404),
            &[],
        ));
    };
    let etag = format!("\"{}\"", onnx_edge::integrity::sha256_hex(&bytes));
    let cache = if content_addressed(&path) {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let extra: Vec<Header> = [
        header("ETag", &etag),
        header("Cache-Control", cache),
        header("Content-Type", content_type(&path)),
    ]
    .into_iter()
    .flatten()
    .collect();
    let matches = request.headers().iter().any(|h| {
        h.field.equiv("If-None-Match") && h.value.as_str().split(',').any(|v| v.trim() == etag)
    });
    if matches {
        return request.respond(with(
            Response::from_data(Vec::new()).with_status_code(304),
            &extra,
        ));
    }
    let body = if *request.method() == Method::Head {
        Vec::new()
    } else {
        bytes
    };
    request.respond(with(Response::from_data(body), &extra))
}

/// Serves until stopped (or until the lifetime or request limit).
pub fn run(args: Args) -> Result<ExitCode> {
    let root = args
        .dir
        .canonicalize()
        .with_context(|| format!("{} is not a folder", args.dir.display()))?;
    let server = Server::http((args.host.as_str(), args.port))
        .map_err(|e| anyhow::anyhow!("cannot bind {}:{}: {e}", args.host, args.port))?;
    let port = server
        .server_addr()
        .to_ip()
        .map(|a| a.port())
        .unwrap_or(args.port);
    println!(
        "serving {} on http://{}:{port}",
        args.dir.display(),
        args.host
    );
    std::io::stdout().flush()?;
    let started = Instant::now();
    let mut served = 0u64;
    loop {
        if args.lifetime_secs > 0 && started.elapsed() >= Duration::from_secs(args.lifetime_secs) {
            break;
        }
        if args.max_requests > 0 && served >= args.max_requests {
            break;
        }
        match server.recv_timeout(Duration::from_millis(250)) {
            Ok(Some(request)) => {
                served += 1;
                if let Err(e) = respond(&root, request, args.coop_coep) {
                    eprintln!("serve: {e}");
                }
            }
            Ok(None) => {}
            Err(e) => {
                eprintln!("serve: {e}");
                break;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
