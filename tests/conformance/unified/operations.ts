// Dispatching one test operation to the driver call it names.
import type { Doc } from './bson-values';
import { collectionOperations } from './collection-operations';
import { RunnerError, type OperationEnv, type OperationHandler, type OperationResult } from './operation-support';
import { clientOperations, cursorOperations, databaseOperations } from './other-operations';
import { testRunnerOperations } from './test-runner-operations';

export async function executeOperation(
  name: string,
  object: string,
  args: Doc,
  env: OperationEnv,
): Promise<OperationResult> {
  if (object === 'testRunner') return dispatch(testRunnerOperations, name, object, undefined, args, env);
  const entity = env.entities.find(object);
  if (!entity) throw new RunnerError(`entity '${object}' is not defined`);
  switch (entity.kind) {
    case 'collection':
      return dispatch(collectionOperations, name, object, entity.collection, args, env);
    case 'database':
      return dispatch(databaseOperations, name, object, entity.db, args, env);
    case 'client':
      return dispatch(clientOperations, name, object, entity.client, args, env);
    case 'cursor':
      return dispatch(cursorOperations, name, object, entity.cursor, args, env);
    default:
      throw new RunnerError(`operation ${name} on a ${entity.kind} entity is not supported`);
  }
}

function dispatch<Target>(
  table: Record<string, OperationHandler<Target>>,
  name: string,
  object: string,
  target: Target,
  args: Doc,
  env: OperationEnv,
): Promise<OperationResult> {
  const handler = Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined;
  if (!handler) throw new RunnerError(`operation '${name}' on '${object}' is not supported by the runner`);
  return handler(target, args, env);
}
