/** Every case of the generated vector set, in a fixed order (ORA-VEC-3). */
import type { Case } from './util.js';
import { semanticsCases } from './semantics.js';
import { stateCases } from './state.js';
import { privilegedCases } from './privileged.js';
import { deviceCases } from './devices.js';
import { hypervisorCases } from './hypervisor.js';
import { randomCases } from './random.js';

export const ALL_CASES = (): Case[] => [...semanticsCases(), ...stateCases(), ...privilegedCases(), ...deviceCases(), ...hypervisorCases(), ...randomCases()];
