// The HiGHS runs a solve is made of: the mixed-integer programme, the assignment with the open
// hosts fixed, and the linear relaxation (for its duals). Each builds its model, runs it and
// reads back what it needs; the WebAssembly model is always disposed.
import type { Highs } from 'highs'
import type { AllocationInstance, GroupRange } from './allocation-instance.ts'
import {
  buildAllocationModel,
  decodeSolution,
  startingColumns,
  type DecodedSolution,
  type HostLists,
  type LinearSolution,
} from './allocation-model.ts'
import type { SolverRound } from './allocation-plan.ts'

let runtime: Promise<Highs> | undefined

/** HiGHS, loaded once per process (a few hundred milliseconds the first time). */
export function loadSolver(): Promise<Highs> {
  // The package's types describe its CommonJS build; Node imports its ES module, whose default
  // export is the loader itself.
  runtime ??= import('highs').then((module) =>
    (module as unknown as { default: () => Promise<Highs> }).default(),
  )
  return runtime
}

export const MODEL_STATUS: Record<number, string> = {
  7: 'Optimal',
  8: 'Infeasible',
  13: 'Time limit reached',
  14: 'Iteration limit reached',
  15: 'Unknown',
  17: 'Interrupted',
}
export const OPTIMAL = 7
export const INFEASIBLE = 8

/**
 * HiGHS's settings. Travel is in whole metres, so a gap under one metre is no gap. Its own start
 * heuristics are left out: the relaxation rounded (or the greedy plan) and improved is the start,
 * and on these models the sub-MIP heuristics cost more time than they save.
 */
const SOLVER_SETTINGS = {
  output_flag: false,
  mip_abs_gap: 0.999,
  mip_heuristic_effort: 0,
  mip_heuristic_run_rins: false,
  mip_heuristic_run_rens: false,
  mip_heuristic_run_feasibility_jump: false,
  mip_heuristic_run_root_reduced_cost: false,
}

export interface MipResult {
  status: number
  solution: DecodedSolution | undefined
  bound: number
  gap: number
  nodes: number
  round: SolverRound
}

export function runModel(
  highs: Highs,
  lp: string,
  rows: number,
  kind: SolverRound['kind'],
  settings: Record<string, unknown>,
) {
  const began = performance.now()
  const solver = highs.createModel({ format: 'lp', data: lp })
  try {
    solver.options.set({ ...SOLVER_SETTINGS, ...settings })
    const columns = solver.getDimensions().numCols
    const names = Array.from({ length: columns }, (_, i) => solver.getColName(i))
    return {
      solver,
      names,
      finish: () => ({ kind, columns, rows, ms: performance.now() - began, status: '' }),
      dispose: () => solver.dispose(),
    }
  } catch (error) {
    solver.dispose()
    throw error
  }
}

export function solveMip(
  highs: Highs,
  instance: AllocationInstance,
  lists: HostLists,
  groups: Pick<GroupRange, 'min' | 'max'>,
  seconds: number,
  relativeGap: number,
  start: Int32Array | undefined,
): MipResult {
  const model = buildAllocationModel(instance, lists, groups)
  const run = runModel(highs, model.lp, model.rows, 'mip', {
    time_limit: Math.max(0.05, seconds),
    mip_rel_gap: relativeGap,
  })
  try {
    const { solver, names } = run
    const startColumns = start && startingColumns(lists, names, start)
    if (startColumns) solver.setSolution({ colValue: startColumns })
    const { modelStatus } = solver.run()
    const hasSolution = Number(solver.info.get('primal_solution_status')) === 2
    const round = {
      ...run.finish(),
      status: MODEL_STATUS[modelStatus] ?? `HiGHS model status ${modelStatus}`,
    }
    return {
      status: modelStatus,
      solution: hasSolution ? decodeSolution(instance, names, solver.getSolution().colValue) : undefined,
      bound: Number(solver.info.get('mip_dual_bound')),
      gap: Number(solver.info.get('mip_gap')),
      nodes: Number(solver.info.get('mip_node_count')),
      round,
    }
  } finally {
    run.dispose()
  }
}

/** With the open hosts fixed, the assignment alone (whole at every corner, so quick). */
export function solveAssignment(
  highs: Highs,
  instance: AllocationInstance,
  lists: HostLists,
  groups: Pick<GroupRange, 'min' | 'max'>,
  open: Uint8Array,
  seconds: number,
): { solution: DecodedSolution | undefined; round: SolverRound } {
  const model = buildAllocationModel(instance, lists, groups, { fixedHosts: open })
  const run = runModel(highs, model.lp, model.rows, 'assignment', { time_limit: Math.max(0.05, seconds) })
  try {
    const { modelStatus } = run.solver.run()
    const hasSolution = Number(run.solver.info.get('primal_solution_status')) === 2
    return {
      solution: hasSolution
        ? decodeSolution(instance, run.names, run.solver.getSolution().colValue)
        : undefined,
      round: { ...run.finish(), status: MODEL_STATUS[modelStatus] ?? `HiGHS model status ${modelStatus}` },
    }
  } finally {
    run.dispose()
  }
}

export function solveRelaxation(
  highs: Highs,
  instance: AllocationInstance,
  lists: HostLists,
  groups: Pick<GroupRange, 'min' | 'max'>,
  seconds: number,
): { status: number; solution: LinearSolution | undefined; round: SolverRound } {
  const model = buildAllocationModel(instance, lists, groups, { relaxed: true })
  const run = runModel(highs, model.lp, model.rows, 'relaxation', {
    time_limit: Math.max(0.05, seconds),
    // Presolve costs more than it saves on these LPs, and without it the duals are HiGHS's own.
    presolve: 'off',
  })
  try {
    const { solver, names } = run
    const { modelStatus } = solver.run()
    const round = {
      ...run.finish(),
      status: MODEL_STATUS[modelStatus] ?? `HiGHS model status ${modelStatus}`,
    }
    const dualsValid = Number(solver.info.get('dual_solution_status')) === 2
    if (modelStatus !== OPTIMAL || !dualsValid) return { status: modelStatus, solution: undefined, round }
    const rowCount = solver.getDimensions().numRows
    const solution = solver.getSolution()
    return {
      status: modelStatus,
      solution: {
        objective: solver.getObjectiveValue(),
        columnNames: names,
        columnValues: solution.colValue,
        columnDuals: solution.colDual,
        rowNames: Array.from({ length: rowCount }, (_, i) => solver.getRowName(i)),
        rowDuals: solution.rowDual,
      },
      round,
    }
  } finally {
    run.dispose()
  }
}
