/**
 * Amazon S3 GetObject / HeadObject, path style: `GET|HEAD /{bucket}/{key+}` under the `/s3` prefix.
 * Serves the objects Polly wrote (streamed; Range, conditional requests and `response-*` overrides supported).
 * A request signed for a region other than the bucket's gets `301 PermanentRedirect` with `x-amz-bucket-region`.
 * Bucket `denied-bucket`: every GetObject is `403 AccessDenied`.
 */
import { type ContentSource, rangeChunks } from '../audio/source';
import { type AwsServiceProfile, awsFaultReply, verifyAwsRequest } from '../aws-auth';
import { s3Error } from '../errors';
import { s3HostId, s3RequestId } from '../random';
import {
	type Env,
	type HandlerContext,
	type RouteMatch,
	type ServiceHandler,
	decodeSegments,
	queryValue,
} from '../service';
import type { FaultRule, Reply } from '../types';

const RESPONSE_OVERRIDES: Array<[string, string]> = [
	['response-content-type', 'Content-Type'],
	['response-content-disposition', 'Content-Disposition'],
	['response-cache-control', 'Cache-Control'],
	['response-content-encoding', 'Content-Encoding'],
	['response-content-language', 'Content-Language'],
	['response-expires', 'Expires'],
];

export class S3Service implements ServiceHandler {
	readonly name = 's3' as const;
	private readonly profile: AwsServiceProfile = { protocol: 's3', signingName: 's3' };

	constructor(private readonly env: Env) {}

	match(method: string): RouteMatch | undefined {
		if (method !== 'GET' && method !== 'HEAD') return undefined;
		const route = method === 'GET' ? 's3.get' : 's3.head';
		return { route, params: {}, handle: (ctx) => this.getObject(ctx) };
	}

	authenticate(ctx: HandlerContext): Promise<Reply | undefined> {
		return verifyAwsRequest(this.env, ctx, this.profile);
	}

	appliesFault(): boolean {
		return true;
	}

	faultReply(rule: FaultRule, ctx: HandlerContext): Reply {
		const head = ctx.method === 'HEAD';
		if (rule.fault === 's3Redirect') {
			const target = rule.region ?? 'eu-west-1';
			const { bucket } = this.parse(ctx.subPath);
			// The bucket now lives in the target region: the retry signed for it succeeds.
			const existing = bucket ? this.env.store.buckets.get(bucket) : undefined;
			if (existing) existing.region = target;
			return this.redirect(bucket ?? '', target, head);
		}
		const retry =
			rule.retryAfterSeconds !== undefined ? { 'Retry-After': rule.retryAfterSeconds } : undefined;
		return (
			awsFaultReply(this.env, this.profile, rule, ctx, {
				throttle: () =>
					s3Error({
						status: 503,
						code: 'SlowDown',
						message: rule.message ?? 'Please reduce your request rate.',
						headers: retry,
						head,
					}),
				error500: () =>
					s3Error({
						status: 500,
						code: 'InternalError',
						message: rule.message ?? 'We encountered an internal error. Please try again.',
						head,
					}),
				error503: () =>
					s3Error({
						status: 503,
						code: 'ServiceUnavailable',
						message: rule.message ?? 'Service is unable to handle request.',
						head,
					}),
			}) ?? s3Error({ status: 500, code: 'InternalError', message: 'fault', head })
		);
	}

	unknownRoute(ctx: HandlerContext): Reply {
		return s3Error({
			status: 501,
			code: 'NotImplemented',
			message: `The emulator implements only GetObject and HeadObject, not ${ctx.method}.`,
			head: ctx.method === 'HEAD',
		});
	}

	reset(): void {}

	private parse(subPath: string): { bucket?: string; key?: string } {
		const raw = subPath.replace(/^\//, '');
		const slash = raw.indexOf('/');
		try {
			if (slash < 0) return { bucket: raw ? decodeURIComponent(raw) : undefined };
			return {
				bucket: decodeURIComponent(raw.slice(0, slash)),
				key: decodeURIComponent(raw.slice(slash + 1)) || undefined,
			};
		} catch {
			return {};
		}
	}

	private redirect(bucket: string, region: string, head: boolean): Reply {
		return s3Error({
			status: 301,
			code: 'PermanentRedirect',
			message:
				'The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.',
			extra: [
				['Endpoint', `s3.${region}.amazonaws.com`],
				['Bucket', bucket],
				['Region', region],
			],
			headers: { 'x-amz-bucket-region': region },
			head,
		});
	}

	private getObject(ctx: HandlerContext): Reply {
		this.env.settleOutputs();
		const head = ctx.method === 'HEAD';
		const { bucket: bucketName, key } = this.parse(ctx.subPath);
		if (decodeSegments(ctx.subPath) === undefined)
			return s3Error({
				status: 400,
				code: 'InvalidURI',
				message: "Couldn't parse the specified URI.",
				head,
			});
		if (!bucketName)
			return s3Error({
				status: 501,
				code: 'NotImplemented',
				message: 'ListBuckets is not emulated.',
				head,
			});
		const bucket = this.env.store.buckets.get(bucketName);
		if (!bucket)
			return s3Error({
				status: 404,
				code: 'NoSuchBucket',
				message: 'The specified bucket does not exist',
				extra: [['BucketName', bucketName]],
				head,
			});
		if (ctx.aws && ctx.aws.region !== bucket.region)
			return this.redirect(bucketName, bucket.region, head);
		if (!key)
			return s3Error({
				status: 501,
				code: 'NotImplemented',
				message: 'ListObjects is not emulated.',
				head,
			});
		if (bucketName === 'denied-bucket')
			return s3Error({ status: 403, code: 'AccessDenied', message: 'Access Denied', head });
		const object = bucket.objects.get(key);
		if (!object)
			return s3Error({
				status: 404,
				code: 'NoSuchKey',
				message: 'The specified key does not exist.',
				extra: [['Key', key]],
				head,
			});

		const etag = this.env.store.etagOf(object);
		const lastModifiedSeconds = Math.floor(object.lastModified / 1000);
		const lastModified = new Date(lastModifiedSeconds * 1000).toUTCString();
		const headers: Record<string, string | number> = {
			'x-amz-request-id': s3RequestId(),
			'x-amz-id-2': s3HostId(),
			'Last-Modified': lastModified,
			ETag: etag,
			'x-amz-server-side-encryption': 'AES256',
			'Accept-Ranges': 'bytes',
			'Content-Type': object.contentType,
			Server: 'AmazonS3',
		};
		for (const [param, header] of RESPONSE_OVERRIDES) {
			const value = queryValue(ctx.query, param);
			if (value !== undefined) headers[header] = value;
		}

		// Conditional requests (RFC 7232 precedence, as S3 applies it).
		const ifMatch = ctx.headers['if-match'];
		const ifNoneMatch = ctx.headers['if-none-match'];
		const ifModifiedSince = ctx.headers['if-modified-since'];
		const ifUnmodifiedSince = ctx.headers['if-unmodified-since'];
		const etagMatches = (list: string) =>
			list.split(',').some((t) => t.trim() === '*' || t.trim() === etag);
		if (ifMatch !== undefined && !etagMatches(ifMatch))
			return s3Error({
				status: 412,
				code: 'PreconditionFailed',
				message: 'At least one of the pre-conditions you specified did not hold',
				extra: [['Condition', 'If-Match']],
				head,
			});
		if (
			ifMatch === undefined &&
			ifUnmodifiedSince !== undefined &&
			Date.parse(ifUnmodifiedSince) < lastModifiedSeconds * 1000
		)
			return s3Error({
				status: 412,
				code: 'PreconditionFailed',
				message: 'At least one of the pre-conditions you specified did not hold',
				extra: [['Condition', 'If-Unmodified-Since']],
				head,
			});
		if (
			ifNoneMatch !== undefined
				? etagMatches(ifNoneMatch)
				: ifModifiedSince !== undefined && Date.parse(ifModifiedSince) >= lastModifiedSeconds * 1000
		)
			return {
				status: 304,
				headers: {
					ETag: etag,
					'Last-Modified': lastModified,
					'x-amz-request-id': headers['x-amz-request-id'],
					'x-amz-id-2': headers['x-amz-id-2'],
				},
				headOnly: true,
				body: Buffer.alloc(0),
			};

		const size = object.source.size;
		const range = ctx.headers.range;
		if (typeof range === 'string' && !range.includes(',')) {
			const m = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
			if (m && (m[1] !== '' || m[2] !== '')) {
				let start: number;
				let end: number;
				if (m[1] === '') {
					const suffix = Number(m[2]);
					start = Math.max(0, size - suffix);
					end = size - 1;
				} else {
					start = Number(m[1]);
					end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
				}
				if (start >= size || (m[1] === '' && Number(m[2]) === 0) || end < start)
					return s3Error({
						status: 416,
						code: 'InvalidRange',
						message: 'The requested range is not satisfiable',
						extra: [
							['RangeRequested', range],
							['ActualObjectSize', size],
						],
						head,
						headers: { 'Content-Range': `bytes */${size}` },
					});
				headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
				return {
					status: 206,
					headers,
					body: sliceSource(object.source, start, end + 1),
					headOnly: head,
				};
			}
		}
		return { status: 200, headers, body: object.source, headOnly: head };
	}
}

function sliceSource(source: ContentSource, start: number, endExclusive: number): ContentSource {
	return { size: endExclusive - start, chunks: () => rangeChunks(source, start, endExclusive) };
}
