/** What the rest of the package derives from the one list of services. */
import type { IDataObject } from 'n8n-workflow';

import { S3_ENDPOINT, STS_ENDPOINT } from '../../../credentials/common/aws/endpoints';
import type { AwsEndpoint } from '../../../credentials/common/aws/endpoints';
import { ADAPTERS } from './index';
import type { CredentialType, TaskAdapter, TaskIds } from './types';

export function serviceNames(): string[] {
	return ADAPTERS.map((adapter) => adapter.service);
}

export function adapterOf(service: string): TaskAdapter | undefined {
	return ADAPTERS.find((adapter) => adapter.service === service);
}

/** Finds the service of a task node's output item, in the list's order. */
export function detectTask(json: IDataObject): { adapter: TaskAdapter; ids: TaskIds } | undefined {
	for (const adapter of ADAPTERS) {
		const ids = adapter.task.detect(json);
		if (ids) return { adapter, ids };
	}
	return undefined;
}

/** The services whose requests go out with this credential type. */
export function servicesUsing(type: CredentialType): string[] {
	return ADAPTERS.filter((adapter) => adapter.credential.type === type).map(
		(adapter) => adapter.service,
	);
}

/** The AWS APIs the credential signs for: the task services', then S3 (audio) and STS (credential test). */
export function awsEndpoints(): AwsEndpoint[] {
	const endpoints: AwsEndpoint[] = [];
	for (const { credential } of ADAPTERS) {
		if (credential.type === 'awsSigV4Api' && !endpoints.includes(credential.endpoint))
			endpoints.push(credential.endpoint);
	}
	return [...endpoints, S3_ENDPOINT, STS_ENDPOINT];
}

/** The service also has a trial endpoint that takes no credential (Aspose). */
export function offersTrial(adapter: TaskAdapter): boolean {
	return (
		adapter.credential.type === 'asposeCloudApi' && adapter.credential.trialBaseUrl !== undefined
	);
}
