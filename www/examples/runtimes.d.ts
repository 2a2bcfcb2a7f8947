// The little of Deno's, Bun's and workerd's globals and module kinds the examples use, for `tsc` (npm run typecheck).
// Type-only: the runtimes never read this file.

declare const Deno: {
  env: { toObject(): Record<string, string | undefined> };
  serve(
    options: { hostname?: string; port?: number; onListen?: (address: { hostname: string; port: number }) => void },
    handler: (request: Request) => Response | Promise<Response>,
  ): { finished: Promise<void>; shutdown(): Promise<void> };
};

declare const Bun: {
  env: Record<string, string | undefined>;
  serve(options: {
    hostname?: string;
    port?: number;
    fetch: (request: Request) => Response | Promise<Response>;
  }): { port: number; stop(): void };
};

/** workerd: a `wasm` module in the config is a compiled WebAssembly.Module. */
declare module '*.wasm' {
  const module: WebAssembly.Module;
  export default module;
}

/** workerd: a `data` module in the config is an ArrayBuffer. */
declare module '*.onnx' {
  const bytes: ArrayBuffer;
  export default bytes;
}
