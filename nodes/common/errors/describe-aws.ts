import type { AwsError } from './aws-error';
import { classifyStatus } from './classify';

export interface Explanation {
	message: string;
	description: string;
}

interface Context {
	/** "Polly synthesis task", "speaker search task", "Polly output object". */
	label: string;
	/** What to check when the service says the task does not exist. */
	notFoundHint: string;
	/** The IAM action the request needs, for access errors. */
	action: string;
}

type Rule = (error: AwsError, context: Context) => Explanation;

const signature: Rule = () => ({
	message: 'AWS rejected the request signature',
	description:
		'Check the Secret Access Key in the AWS (SigV4) credential, and that its region and custom endpoints match the service.',
});
const unknownKey: Rule = () => ({
	message: 'AWS does not recognise the access key',
	description: 'Check the Access Key ID in the AWS (SigV4) credential; the key may have been deleted or deactivated.',
});
const expired: Rule = () => ({
	message: 'The AWS session token has expired',
	description: 'Temporary credentials last a limited time: put a fresh Access Key ID, Secret and Session Token into the credential.',
});
const skew: Rule = () => ({
	message: "AWS rejected the request time: this machine's clock is off",
	description: 'Signatures are valid for 15 minutes. Synchronise the clock of the machine that runs n8n (NTP).',
});
const denied: Rule = (_e, c) => ({
	message: `AWS denied access to the ${c.label}`,
	description: `Allow ${c.action} for the IAM user or role of the AWS (SigV4) credential, in the credential's region.`,
});
const notFound: Rule = (_e, c) => ({
	message: `AWS found no such ${c.label}`,
	description: c.notFoundHint,
});
const throttled: Rule = () => ({
	message: 'AWS is throttling requests',
	description:
		'Too many requests in a short time. Run fewer items at once, or use Wait Until Complete, which slows down and retries by itself.',
});
const failure: Rule = (e) => ({
	message: `The AWS service failed (HTTP ${e.status})`,
	description: 'This is a fault on the service side. Try again in a few minutes.',
});
const badRequest: Rule = (e, c) => ({
	message: `AWS rejected the request for the ${c.label}`,
	description: e.message ? `AWS says: ${e.message}` : 'Check the IDs of the task.',
});

const RULES: Record<string, Rule> = {
	InvalidSignatureException: signature,
	SignatureDoesNotMatch: signature,
	IncompleteSignature: signature,
	IncompleteSignatureException: signature,
	AuthorizationHeaderMalformed: signature,
	MissingAuthenticationTokenException: signature,
	UnrecognizedClientException: unknownKey,
	InvalidClientTokenId: unknownKey,
	InvalidAccessKeyId: unknownKey,
	InvalidToken: expired,
	ExpiredTokenException: expired,
	ExpiredToken: expired,
	RequestExpired: skew,
	RequestTimeTooSkewed: skew,
	RequestInTheFuture: skew,
	AccessDeniedException: denied,
	AccessDenied: denied,
	ForbiddenException: denied,
	Forbidden: denied,
	UnauthorizedClientException: denied,
	Unauthorized: denied,
	NotAuthorized: denied,
	OptInRequired: denied,
	NotFoundException: notFound,
	NotFound: notFound,
	SynthesisTaskNotFoundException: notFound,
	NoSuchKey: notFound,
	NoSuchBucket: notFound,
	InvalidTaskIdException: (_e, c) => ({
		message: 'Polly does not accept this task ID',
		description: `A Polly task ID is the TaskId returned by StartSpeechSynthesisTask. ${c.notFoundHint}`,
	}),
	BadRequestException: badRequest,
	BadRequest: badRequest,
	ValidationError: badRequest,
	ConflictException: (e, c) => ({
		message: `AWS reports a conflict for the ${c.label}`,
		description: e.message ? `AWS says: ${e.message}` : 'The resource is in a state that does not allow this request.',
	}),
	Conflict: (e, c) => RULES.ConflictException(e, c),
	InvalidObjectState: () => ({
		message: 'The Polly output object is archived',
		description: 'Restore the object from its archive storage class in S3 before downloading it.',
	}),
};

function signatureExpired(error: AwsError): boolean {
	return error.code === 'InvalidSignatureException' && /expired/i.test(error.message);
}

/** Plain-words message and what to do, for an AWS error. */
export function describeAwsError(error: AwsError, context: Context): Explanation {
	if (signatureExpired(error)) return skew(error, context);
	const rule = RULES[error.code];
	if (rule) return rule(error, context);
	const kind = classifyStatus(error.status, error.code);
	if (kind === 'throttling') return throttled(error, context);
	if (kind === 'transient') return failure(error, context);
	if (error.status === 404) return notFound(error, context);
	if (error.status === 401 || error.status === 403) return denied(error, context);
	return {
		message: `AWS answered ${error.code} (HTTP ${error.status})`,
		description: error.message ? `AWS says: ${error.message}` : 'See the AWS documentation for this error code.',
	};
}
