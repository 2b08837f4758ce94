/** The emulated S3 storage: buckets (with a region) holding objects whose bodies are content sources. */
import { createHash } from 'node:crypto';
import { type ContentSource, bufferSource } from './audio/source';

export interface StoredObject {
	bucket: string;
	key: string;
	contentType: string;
	source: ContentSource;
	lastModified: number;
	/** Quoted ETag; computed lazily (MD5 of the bytes up to 16 MiB, else a multipart-style opaque tag). */
	etag?: string;
	/** Optional producer description, used for the opaque ETag of large objects. */
	fingerprint?: string;
}

export interface Bucket {
	name: string;
	region: string;
	objects: Map<string, StoredObject>;
}

const MD5_LIMIT = 16 * 1024 * 1024;

export class ObjectStore {
	readonly buckets = new Map<string, Bucket>();

	createBucket(name: string, region: string): Bucket {
		let bucket = this.buckets.get(name);
		if (!bucket) {
			bucket = { name, region, objects: new Map() };
			this.buckets.set(name, bucket);
		}
		return bucket;
	}

	put(object: Omit<StoredObject, 'etag'>): StoredObject {
		const bucket = this.buckets.get(object.bucket);
		if (!bucket) throw new Error(`No bucket ${object.bucket}`);
		const stored: StoredObject = { ...object };
		bucket.objects.set(object.key, stored);
		return stored;
	}

	putBuffer(
		bucket: string,
		key: string,
		body: Buffer,
		contentType: string,
		lastModified: number,
	): StoredObject {
		return this.put({ bucket, key, contentType, source: bufferSource(body), lastModified });
	}

	get(bucket: string, key: string): StoredObject | undefined {
		return this.buckets.get(bucket)?.objects.get(key);
	}

	etagOf(object: StoredObject): string {
		if (object.etag) return object.etag;
		if (object.source.size <= MD5_LIMIT) {
			const hash = createHash('md5');
			for (const chunk of object.source.chunks()) hash.update(chunk);
			object.etag = `"${hash.digest('hex')}"`;
		} else {
			const parts = Math.ceil(object.source.size / (8 * 1024 * 1024));
			const digest = createHash('md5')
				.update(`${object.bucket}/${object.key}/${object.source.size}/${object.fingerprint ?? ''}`)
				.digest('hex');
			object.etag = `"${digest}-${parts}"`;
		}
		return object.etag;
	}

	clear(): void {
		this.buckets.clear();
	}
}
