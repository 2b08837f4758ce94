/**
 * Runs the emulator until SIGINT/SIGTERM:
 *   npx tsc -p test/emulator/tsconfig.json && node .output/emulator/cli.js [--port 4566] [--time-scale 0.01] [--host 127.0.0.1]
 * Options may also come from EMULATOR_PORT, EMULATOR_TIME_SCALE, EMULATOR_HOST.
 */
import { startEmulator } from './index';

function arg(name: string): string | undefined {
	const index = process.argv.indexOf(`--${name}`);
	if (index >= 0) return process.argv[index + 1];
	const inline = process.argv.find((a) => a.startsWith(`--${name}=`));
	return inline?.slice(name.length + 3);
}

async function main(): Promise<void> {
	const port = Number(arg('port') ?? process.env.EMULATOR_PORT ?? 0);
	const timeScale = Number(arg('time-scale') ?? process.env.EMULATOR_TIME_SCALE ?? 1);
	const host = arg('host') ?? process.env.EMULATOR_HOST ?? '127.0.0.1';
	const emulator = await startEmulator({ port, timeScale, host });
	const lines = [
		`Speech-cloud emulator listening on ${emulator.url}`,
		'',
		'Endpoints:',
		...Object.entries(emulator.endpoints).map(([name, url]) => `  ${name.padEnd(20)} ${url}`),
		'',
		'AWS credentials (region ' + emulator.region + '):',
		`  accessKeyId          ${emulator.credentials.accessKeyId}`,
		`  secretAccessKey      ${emulator.credentials.secretAccessKey}`,
		...(emulator.credentials.sessionToken
			? [`  sessionToken         ${emulator.credentials.sessionToken}`]
			: []),
		'Aspose client credentials:',
		`  clientId             ${emulator.credentials.asposeClientId}`,
		`  clientSecret         ${emulator.credentials.asposeClientSecret}`,
		'',
		'Seeded resources:',
		`  S3 buckets           ${emulator.resources.buckets.join(', ')}`,
		`  voice connectors     ${emulator.resources.voiceConnectorIds.join(', ')}`,
		...emulator.resources.mediaInsightsPipelines.map(
			(p) => `  pipeline             ${p.id}  ${p.arn}`,
		),
		'',
		`timeScale ${timeScale}. Press Ctrl+C to stop.`,
	];
	process.stdout.write(lines.join('\n') + '\n');
	const stop = async (signal: string) => {
		process.stdout.write(
			`\n${signal}: stopping emulator (${emulator.requests.length} requests served)\n`,
		);
		await emulator.close();
		process.exit(0);
	};
	process.once('SIGINT', () => void stop('SIGINT'));
	process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error) => {
	process.stderr.write(`Emulator failed to start: ${(error as Error).stack ?? error}\n`);
	process.exit(1);
});
