import { EJSON } from 'bson';
import { MongoServerError } from 'mongodb';
import { closingLine, fileLines, skipReason, tally, totals } from './report';
import { driverOptions, toWriteConcern } from './unified/arguments';
import { checkExpectedError } from './unified/errors';
import { noEntities } from './unified/matcher';
import { checkFeatures, checkRequirements, compareVersions, parseVersion } from './unified/requirements';
import type { FileReport, RunOnRequirement, ServerInfo, TestCase } from './unified/types';

const parse = <T>(json: string): T => EJSON.parse(json, { relaxed: false }) as T;
const server: ServerInfo = { version: [7, 0, 14], topology: 'single', authEnabled: false };

describe('runOnRequirements', () => {
  it('compares versions component by component, ignoring suffixes', () => {
    expect(parseVersion('4.9.0-alpha4-271-g7d5cf02')).toEqual([4, 9, 0]);
    expect(compareVersions(parseVersion('4.0.10'), parseVersion('4.0.9'))).toBe(1);
    expect(compareVersions(parseVersion('3.6'), parseVersion('3.6.0'))).toBe(0);
  });

  it('runs when any one requirement is met', () => {
    const reqs = parse<RunOnRequirement[]>('[{"minServerVersion": "8.0"}, {"maxServerVersion": "7.99"}]');
    expect(checkRequirements(reqs, server)).toEqual({ run: true });
  });

  it('skips with the reason of the first unmet requirement', () => {
    expect(checkRequirements([{ minServerVersion: '8.0' }], server)).toEqual({
      run: false,
      reason: 'needs server >= 8.0',
    });
    expect(checkRequirements([{ maxServerVersion: '4.4.99' }], server)).toEqual({
      run: false,
      reason: 'needs server <= 4.4.99',
    });
    expect(checkRequirements([{ topologies: ['replicaset', 'sharded'] }], server)).toEqual({
      run: false,
      reason: 'needs topology replicaset|sharded',
    });
    expect(checkRequirements([{ serverParameters: { enableTestCommands: true } }], server)).toMatchObject({
      run: false,
    });
    expect(checkRequirements([{ auth: true }], server)).toEqual({ run: false, reason: 'needs auth' });
    expect(checkRequirements([{ csfle: true }], server)).toEqual({ run: false, reason: 'needs CSFLE' });
  });

  it('accepts serverless: forbid on a non-serverless server', () => {
    expect(checkRequirements([{ minServerVersion: '3.4', serverless: 'forbid' }], server)).toEqual({ run: true });
  });

  it('skips tests that use transactions or change streams', () => {
    const test = (name: string): TestCase => ({ description: 't', operations: [{ name, object: 'x' }] });
    expect(checkFeatures(test('startTransaction'), [])).toEqual({ run: false, reason: 'uses transactions' });
    expect(checkFeatures(test('createChangeStream'), [])).toEqual({ run: false, reason: 'uses change streams' });
    expect(checkFeatures({ ...test('find'), skipReason: 'SERVER-1' }, [])).toMatchObject({ run: false });
    expect(checkFeatures(test('find'), [])).toEqual({ run: true });
  });
});

describe('arguments for the driver', () => {
  it('turns an Int32 w:0 into an unacknowledged write concern', () => {
    expect(toWriteConcern(parse('{"w": 0}'))).toEqual({ w: 0 });
  });

  it('hands scalar options to the driver as JS numbers and keeps documents as BSON', () => {
    const args = parse<Record<string, unknown>>('{"filter": {"x": 1}, "limit": 2, "skip": 1, "sort": {"_id": 1}}');
    const options = driverOptions(args, ['filter'], () => undefined);
    expect(options.limit).toBe(2);
    expect(options.skip).toBe(1);
    expect(options).not.toHaveProperty('filter');
    expect(options.sort).toEqual(args.sort);
  });

  it('lower-cases returnDocument and rejects other values', () => {
    expect(driverOptions({ returnDocument: 'After' }, [], () => undefined)).toEqual({ returnDocument: 'after' });
    expect(() => driverOptions({ returnDocument: 'Later' }, [], () => undefined)).toThrow();
  });
});

describe('expectError', () => {
  const serverError = new MongoServerError({ code: 11000, codeName: 'DuplicateKey', errmsg: 'E11000 duplicate key' });

  it('compares an Int32 errorCode with the server code', () => {
    expect(checkExpectedError(parse('{"errorCode": 11000}'), serverError, noEntities)).toEqual({ ok: true });
    expect(checkExpectedError(parse('{"errorCode": 11001}'), serverError, noEntities).ok).toBe(false);
  });

  it('tells client errors from server errors', () => {
    expect(checkExpectedError({ isClientError: true }, new Error('bad argument'), noEntities)).toEqual({ ok: true });
    expect(checkExpectedError({ isClientError: true }, serverError, noEntities).ok).toBe(false);
  });

  it('matches messages case-insensitively and code names', () => {
    expect(checkExpectedError({ errorContains: 'DUPLICATE' }, serverError, noEntities)).toEqual({ ok: true });
    expect(checkExpectedError({ errorCodeName: 'duplicatekey' }, serverError, noEntities)).toEqual({ ok: true });
  });

  it('matches errorResponse as a root-level document', () => {
    expect(checkExpectedError(parse('{"errorResponse": {"code": 11000}}'), serverError, noEntities)).toEqual({
      ok: true,
    });
  });
});

describe('the report', () => {
  const report: FileReport = {
    file: 'updateOne.json',
    tests: [
      { description: 'ok', result: { status: 'pass' } },
      { description: 'old', result: { status: 'skip', reason: 'needs server <= 4.2.99' } },
      {
        description: 'broken',
        result: { status: 'fail', reason: 'op #1 updateOne: boom', cause: 'error: updateOne', details: [] },
      },
    ],
  };

  it('prints one line per file and a short reason per failing test', () => {
    expect(fileLines(report, false)).toEqual([
      'FAIL updateOne.json  1 passed, 1 failed, 1 skipped',
      '    ✗ broken: op #1 updateOne: boom',
    ]);
  });

  it('closes with the totals line CI reads', () => {
    expect(closingLine(totals([report, report]))).toBe('conformance: 2 passed, 2 failed, 2 skipped');
  });

  it('tallies skip reasons, most frequent first', () => {
    expect(tally([report, report], skipReason)).toEqual([['needs server <= 4.2.99', 2]]);
  });
});
