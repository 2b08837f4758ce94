// Mirrors packages/cli/src/credentials-helper.ts for what our credentials use: function-form and
// generic `authenticate`, and `preAuthentication` driven by a hidden expirable field.
import { ICredentialsHelper } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	ICredentials,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	IWorkflowExecuteAdditionalData,
	Workflow,
} from 'n8n-workflow';

export class TestCredentialsHelper extends ICredentialsHelper {
	/** Every request our credentials signed or decorated, for assertions. */
	readonly authenticated: IHttpRequestOptions[] = [];
	preAuthenticationCalls = 0;

	constructor(
		private readonly types: Record<string, ICredentialType>,
		public readonly data: Record<string, ICredentialDataDecryptedObject>,
	) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	getCredentialsProperties(type: string) {
		return this.types[type].properties;
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const found = this.data[type];
		if (!found) throw new Error(`No test credentials of type ${type}`);
		return { ...found };
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('getCredentials is not used by these tests');
	}

	async updateCredentials(
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.data[type] = data;
	}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	async runPreAuthentication(): Promise<undefined> {
		return undefined;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		type: string,
		request: IHttpRequestOptions,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const auth = this.types[type].authenticate;
		let out = request;
		if (typeof auth === 'function') {
			out = await auth(credentials, request);
		} else if (auth?.type === 'generic') {
			const resolve = (value: unknown) =>
				typeof value === 'string' && value.startsWith('=')
					? String(
							workflow!.expression.getSimpleParameterValue(
								node!,
								value,
								'internal',
								{ $credentials: credentials },
								undefined,
								'',
							) ?? '',
						)
					: value;
			for (const [outer, inner] of Object.entries(auth.properties)) {
				const target = ((request as unknown as Record<string, Record<string, unknown>>)[outer] ??=
					{});
				for (const [key, value] of Object.entries(inner as Record<string, string>)) {
					target[resolve(key) as string] = resolve(value);
				}
			}
		}
		this.authenticated.push(out);
		return out;
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		type: string,
		_node: INode,
		expired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const credentialType = this.types[type];
		const expirable = credentialType.properties.find(
			(p) => p.type === 'hidden' && p.typeOptions?.expirable === true,
		);
		if (!expirable || typeof credentialType.preAuthentication !== 'function') return undefined;
		if (
			credentials[expirable.name] !== '' &&
			credentials[expirable.name] !== undefined &&
			!expired
		) {
			return undefined;
		}
		this.preAuthenticationCalls++;
		const output = await credentialType.preAuthentication.call(helpers, credentials);
		if (output[expirable.name] === undefined) return undefined;
		const updated = Object.assign(credentials, output);
		this.data[type] = { ...updated };
		return updated;
	}
}
