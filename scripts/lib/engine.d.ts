import type { Logger, ICredentialDataDecryptedObject, ICredentialsHelper, ICredentialType, IDataObject, INodeExecutionData, INodeListSearchResult, INodeType, IRun, IRunData } from 'n8n-workflow';

export interface LogLine {
	level: string;
	message: string;
	meta?: unknown;
}

export interface EngineResult {
	run: IRun;
	runData: IRunData;
	error?: IRun['data']['resultData']['error'];
	logs: LogLine[];
}

export function runWorkflow(
	workflow: object,
	options: {
		nodeTypes: Record<string, INodeType>;
		credentialType: ICredentialType;
		credentials: ICredentialDataDecryptedObject;
		items?: Array<IDataObject | Pick<INodeExecutionData, 'json' | 'binary'>>;
		print?: (level: string, message: string) => void;
		/** The execution's id as n8n gives it ('301', …); default 'execution'. */
		executionId?: string;
		/** When it resolves, the execution is cancelled (as n8n's Stop button does). */
		cancel?: Promise<unknown>;
	},
): Promise<EngineResult>;

/** Runs a node's `methods.listSearch[method]` in n8n-core's LoadOptionsContext, as the editor's resource-locator list does. */
export function searchList(
	workflow: object,
	nodeName: string,
	method: string,
	filter: string | undefined,
	options: { nodeTypes: Record<string, INodeType>; credentialType: ICredentialType; credentials: ICredentialDataDecryptedObject },
): Promise<INodeListSearchResult>;

export function nodeOutputs(result: EngineResult, nodeName: string): INodeExecutionData[][];

export class SingleCredentialHelper extends ICredentialsHelper {
	constructor(credentialType: ICredentialType, data: ICredentialDataDecryptedObject);
}

/** The credential's data with defaults filled in and hidden fields dropped, as n8n's CredentialsHelper does. */
export function applyCredentialDefaults(
	credentialType: ICredentialType,
	data: ICredentialDataDecryptedObject,
): ICredentialDataDecryptedObject;

/** What n8n's additional data holds for a node in this process: the one credential, and n8n's URLs. */
export function baseAdditionalData(credentialType: ICredentialType, credentials: ICredentialDataDecryptedObject): IDataObject;

/** A logger (n8n's Logger shape) that keeps what nodes log in `lines`, and optionally prints it. */
export function captureLogger(lines: LogLine[], print?: (level: string, message: string) => void): Logger;

export const MANUAL_TRIGGER: string;
