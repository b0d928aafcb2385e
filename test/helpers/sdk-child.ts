// Runs the official @bitrix24/b24jssdk in its own process, as a user's script would: NODE_EXTRA_CA_CERTS is read only
// at process start, so the test starts this child with it set. One JSON request per stdin line, one JSON answer per
// stdout line. The SDK is used exactly as its README shows: B24Hook.fromWebhookUrl(url), no interceptors, no patches.
import readline from 'node:readline';
import { AjaxResult, ApiVersion, B24Hook, B24OAuth, Result } from '@bitrix24/b24jssdk';

interface Request {
  id: number;
  op: 'hook' | 'oauth' | 'call' | 'callMethod' | 'allPages' | 'callList' | 'fetchList' | 'batch';
  hook?: string;
  url?: string;
  method?: string;
  params?: Record<string, unknown>;
  idKey?: string;
  customKeyForResult?: string;
  calls?: unknown;
  halt?: boolean;
  /** `b24im token add` output and `b24im app add` output, for B24OAuth. */
  token?: Record<string, any>;
  app?: Record<string, any>;
}

const hooks = new Map<string, B24Hook | B24OAuth>();

function errorOf(e: unknown) {
  const err = e as { name?: string; code?: string; status?: number; message?: string };
  return { name: err?.name, code: err?.code, status: err?.status, message: err?.message };
}

function ajax(r: AjaxResult) {
  return {
    isSuccess: r.isSuccess,
    status: r.getStatus(),
    data: r.isSuccess ? r.getData() : undefined,
    total: r.getTotal(),
    isMore: r.isMore(),
    errors: [...r.getErrors()].map(errorOf),
  };
}

function result(r: Result) {
  const data = r.getData();
  const errors = Object.fromEntries(Object.entries(r.getErrorsByKey()).map(([k, e]) => [k, errorOf(e)]));
  return { isSuccess: r.isSuccess, data, errors };
}

function hookOf(req: Request): B24Hook | B24OAuth {
  const h = hooks.get(req.hook ?? 'default');
  if (!h) throw new Error(`no hook ${req.hook}`);
  return h;
}

async function handle(req: Request): Promise<unknown> {
  switch (req.op) {
    case 'hook': {
      const hook = B24Hook.fromWebhookUrl(req.url!);
      hooks.set(req.hook ?? 'default', hook);
      return { origin: hook.getTargetOrigin() };
    }
    case 'oauth': {
      // An application's server side: the tokens and endpoints a portal hands over at install, as b24im's CLI prints them.
      const t = req.token!;
      const b24 = new B24OAuth(
        {
          applicationToken: req.app!.application_token,
          userId: t.user_id,
          memberId: t.member_id,
          accessToken: t.access_token,
          refreshToken: t.refresh_token,
          expires: t.expires,
          expiresIn: t.expires_in,
          scope: Array.isArray(t.scope) ? t.scope.join(',') : String(t.scope),
          domain: t.domain,
          clientEndpoint: t.client_endpoint,
          serverEndpoint: t.server_endpoint,
          status: t.status,
        },
        { clientId: req.app!.client_id, clientSecret: req.app!.client_secret },
      );
      hooks.set(req.hook ?? 'default', b24);
      return { origin: b24.getTargetOrigin() };
    }
    case 'call':
      return ajax(await hookOf(req).actions.v2.call.make({ method: req.method!, params: req.params ?? {} }));
    case 'callMethod':
      // The long-standing (deprecated, still shipped) entry point most existing code uses.
      return ajax(await hookOf(req).callMethod(req.method!, req.params ?? {}));
    case 'allPages': {
      // Manual paging with next/total, as the SDK's README shows for callMethod + getNext.
      const b24 = hookOf(req);
      const pages = [];
      let page: AjaxResult | false = await b24.callMethod(req.method!, req.params ?? {});
      while (page) {
        pages.push(ajax(page));
        page = page.isMore() ? await page.getNext(b24.getHttpClient(ApiVersion.v2)) : false;
        if (pages.length > 20) break;
      }
      return pages;
    }
    case 'callList':
      return result(
        await hookOf(req).actions.v2.callList.make({
          method: req.method!,
          params: req.params ?? {},
          idKey: req.idKey,
          customKeyForResult: req.customKeyForResult,
        } as never),
      );
    case 'fetchList': {
      const chunks: unknown[][] = [];
      for await (const chunk of hookOf(req).actions.v2.fetchList.make({
        method: req.method!,
        params: req.params ?? {},
        idKey: req.idKey,
        customKeyForResult: req.customKeyForResult,
      } as never)) {
        chunks.push(chunk as unknown[]);
      }
      return chunks;
    }
    case 'batch': {
      const r = await hookOf(req).actions.v2.batch.make({
        calls: req.calls as never,
        options: { isHaltOnError: req.halt ?? false, returnAjaxResult: true },
      });
      const data = r.getData() as { result: Map<string | number, AjaxResult>; time: unknown } | Record<string, AjaxResult> | undefined;
      const perCommand: Record<string, unknown> = {};
      const entries = data && 'result' in data && data.result instanceof Map ? data.result.entries() : Object.entries(data ?? {});
      for (const [k, v] of entries) perCommand[String(k)] = v instanceof AjaxResult ? ajax(v) : v;
      const errors = Object.fromEntries(Object.entries(r.getErrorsByKey()).map(([k, e]) => [k, errorOf(e)]));
      return { isSuccess: r.isSuccess, results: perCommand, errors };
    }
    default:
      throw new Error(`unknown op ${String(req.op)}`);
  }
}

const rl = readline.createInterface({ input: process.stdin });
rl.on('line', (line) => {
  const req = JSON.parse(line) as Request;
  handle(req).then(
    (value) => process.stdout.write(`${JSON.stringify({ id: req.id, value })}\n`),
    (err) => process.stdout.write(`${JSON.stringify({ id: req.id, thrown: errorOf(err) })}\n`),
  );
});
