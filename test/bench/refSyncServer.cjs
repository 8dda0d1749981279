// The y-websocket 2.x reference server (its own setupWSConnection, in-memory, no persistence),
// started by syncBench.ts in a child process on 127.0.0.1:$PORT.
const http = require('node:http');
const { WebSocketServer } = require('ws');
const { setupWSConnection } = require('y-websocket-ref/bin/utils');

const wss = new WebSocketServer({ noServer: true });
wss.on('connection', setupWSConnection);
const server = http.createServer((_req, res) => res.end('ok'));
server.on('upgrade', (req, socket, head) => {
  wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('ready'));
