// Tests reach no host but loopback.
import nock from 'nock';

// Jest gives every test file its own nock, but they share node's http module in a worker: each
// file activates its nock and restores http when done, so no file sees another's interceptors.
if (!nock.isActive()) nock.activate();
nock.disableNetConnect();
nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);

afterEach(() => {
	nock.cleanAll();
});

afterAll(() => {
	nock.restore();
});
