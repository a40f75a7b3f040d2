#!/usr/bin/env node
// A reporting tool in a second language: follows the BRM CRM event feed (brm.v1.ReportingService/StreamEvents)
// knowing only the protos, saves its position after every event and checkpoint, and resumes from it, so it
// can be killed at any moment and started again with nothing missed or repeated.
//
//   node examples/feed-consumer/follow.js --address localhost:50051 --position-file ./feed.position [--follow]
//        [--type stakeholder_added] [--relationship <uuid>] [--max-events N] [--token <bearer token>]
//
// Prints one JSON line per event ({"position", "event_type", "relationship_id", "payload"}) and one line
// {"caught_up": position} when the backlog is done. Add a bearer token with --token or BRM_TOKEN.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

function parseArgs(argv) {
  const args = { address: 'localhost:50051', positionFile: 'feed.position', follow: false, types: [], relationships: [],
    maxEvents: Infinity, token: process.env.BRM_TOKEN || '' };
  for (let i = 0; i < argv.length; i++) {
    const next = () => argv[++i];
    switch (argv[i]) {
      case '--address': args.address = next(); break;
      case '--position-file': args.positionFile = next(); break;
      case '--follow': args.follow = true; break;
      case '--type': args.types.push(next()); break;
      case '--relationship': args.relationships.push(next()); break;
      case '--max-events': args.maxEvents = Number(next()); break;
      case '--token': args.token = next(); break;
      default: throw new Error(`unknown argument ${argv[i]}`);
    }
  }
  return args;
}

function readPosition(file) {
  try { return fs.readFileSync(file, 'utf8').trim() || '0'; } catch { return '0'; }
}

// Write then rename: a crash never leaves a half-written position.
function savePosition(file, position) {
  const temporary = `${file}.tmp`;
  fs.writeFileSync(temporary, String(position));
  fs.renameSync(temporary, file);
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const definition = protoLoader.loadSync('brm/v1/reporting.proto', {
    includeDirs: [path.join(__dirname, '..', '..', 'protos')],
    keepCase: true, longs: String, enums: String, defaults: true, oneofs: true,
  });
  const brm = grpc.loadPackageDefinition(definition).brm.v1;
  const client = new brm.ReportingService(args.address, grpc.credentials.createInsecure());
  const metadata = new grpc.Metadata();
  if (args.token) metadata.set('authorization', `Bearer ${args.token}`);

  let received = 0;
  const call = client.StreamEvents({
    after: readPosition(args.positionFile), follow: args.follow, event_types: args.types, relationship_ids: args.relationships,
  }, metadata);

  call.on('data', (message) => {
    if (message.item === 'event') {
      const e = message.event;
      console.log(JSON.stringify({ position: e.position, event_type: e.event_type, relationship_id: e.relationship_id,
        payload: e.payload[e.payload.event] }));
      savePosition(args.positionFile, e.position);
      if (++received >= args.maxEvents) call.cancel();
    } else if (message.item === 'checkpoint') {
      savePosition(args.positionFile, message.checkpoint.position);
    } else if (message.item === 'caught_up') {
      savePosition(args.positionFile, message.caught_up.position);
      console.log(JSON.stringify({ caught_up: message.caught_up.position }));
    }
  });
  call.on('error', (error) => {
    if (error.code === grpc.status.CANCELLED) return;
    console.error(`feed failed: ${grpc.status[error.code]}: ${error.details}`);
    process.exitCode = 1;
  });
  call.on('end', () => client.close());
}

main();
