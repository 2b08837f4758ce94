/**
 * Fault injection: rules chosen per route, by rate (seeded randomness), first-N count, or every-Nth.
 * The first rule (in order) that fires for a request wins; rules that do not apply to a service
 * (e.g. `s3Redirect` on Polly) are skipped without counting.
 */
import { seededRandom } from './random';
import {
	FAULT_NAMES,
	type FaultName,
	type FaultRule,
	type RouteName,
	type RoutePattern,
} from './types';

interface RuleState {
	rule: FaultRule;
	random: () => number;
	seen: number;
	fired: number;
}

export function routeMatches(pattern: RoutePattern | RoutePattern[], route: RouteName): boolean {
	const patterns = Array.isArray(pattern) ? pattern : [pattern];
	return patterns.some(
		(p) => p === '*' || p === route || (p.endsWith('.*') && route.startsWith(p.slice(0, -1))),
	);
}

export function validateFaultRule(rule: FaultRule): void {
	if (!rule || typeof rule !== 'object') throw new Error('A fault rule must be an object');
	if (!FAULT_NAMES.includes(rule.fault))
		throw new Error(`Unknown fault "${rule.fault}"; known: ${FAULT_NAMES.join(', ')}`);
	if (rule.route === undefined || (Array.isArray(rule.route) && rule.route.length === 0))
		throw new Error('A fault rule needs a route');
	if (rule.rate !== undefined && !(rule.rate >= 0 && rule.rate <= 1))
		throw new Error(`rate must be within 0..1, got ${rule.rate}`);
	for (const key of ['count', 'every', 'after'] as const) {
		const value = rule[key];
		if (value !== undefined && !(Number.isInteger(value) && value >= (key === 'after' ? 0 : 1)))
			throw new Error(`${key} must be a positive integer, got ${value}`);
	}
}

export class FaultInjector {
	private states: RuleState[] = [];
	private readonly injected = new Map<FaultName, number>();

	constructor(private readonly defaultSeed: number) {}

	set(rules: FaultRule[]): void {
		rules.forEach(validateFaultRule);
		this.states = rules.map((rule, i) => this.stateFor(rule, i));
	}

	add(rule: FaultRule): void {
		validateFaultRule(rule);
		this.states.push(this.stateFor(rule, this.states.length));
	}

	clear(): void {
		this.states = [];
	}

	get rules(): FaultRule[] {
		return this.states.map((s) => s.rule);
	}

	/** Decides whether this request gets a fault. `applies` says whether a fault makes sense for the service. */
	pick(route: RouteName, applies: (fault: FaultName) => boolean): FaultRule | undefined {
		for (const state of this.states) {
			const { rule } = state;
			if (!routeMatches(rule.route, route) || !applies(rule.fault)) continue;
			state.seen++;
			if (!this.fires(state)) continue;
			state.fired++;
			return rule;
		}
		return undefined;
	}

	record(fault: FaultName): void {
		this.injected.set(fault, (this.injected.get(fault) ?? 0) + 1);
	}

	counts(): Partial<Record<FaultName, number>> {
		return Object.fromEntries(this.injected) as Partial<Record<FaultName, number>>;
	}

	resetCounts(): void {
		this.injected.clear();
	}

	private stateFor(rule: FaultRule, index: number): RuleState {
		return {
			rule,
			random: seededRandom((rule.seed ?? this.defaultSeed) + index * 7919),
			seen: 0,
			fired: 0,
		};
	}

	private fires(state: RuleState): boolean {
		const { rule } = state;
		const position = state.seen - (rule.after ?? 0); // 1-based among eligible requests
		if (position < 1) return false;
		if (rule.count !== undefined && position > rule.count) return false;
		if (rule.every !== undefined && position % rule.every !== 0) return false;
		if (rule.rate !== undefined) return state.random() < rule.rate;
		return true;
	}
}
