// Vessel registry (船舶): list, register, read, and membership of formations and aquaculture zones.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { NewMembership, NewVessel, Vessel, VesselList } from '../schemas/maritime.ts';
import { Problem } from '../schemas/resources.ts';
import { Paging, pageLinks } from '../schemas/common.ts';
import { addMembership, findMembershipGrid, findVessel, insertVessel, listVessels } from '../db/repositories/vessels.ts';
import { chinaDate } from '../domain/filings/snapshot.ts';
import { validateMmsi, validateRegisteredName } from '../domain/maritime/identity.ts';
import { may } from '../domain/access/roles.ts';
import { authorize } from '../http/auth.ts';
import { badRequest, notFound } from '../http/problem.ts';
import type { RouteContext } from './context.ts';

const Errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };

export const vesselRoutes: FastifyPluginAsyncTypebox<RouteContext> = async (app, { knex, config }) => {
  const openReads = config.mode === 'demo';

  app.get(
    '/v1/vessels',
    { schema: { tags: ['vessels'], summary: 'Registered vessels with their formation and latest position', querystring: Type.Object(Paging), response: { 200: VesselList, ...Errors } } },
    async (request) => {
      authorize(request, 'registry:read', {}, openReads);
      const { limit, offset } = request.query;
      const { vessels, total } = await listVessels(knex, { includePersonal: may(request.principal, 'personal:read'), limit, offset });
      return { vessels, total, links: pageLinks(request.url, limit, offset, total) };
    },
  );

  app.post(
    '/v1/vessels',
    { schema: { tags: ['vessels'], summary: 'Register a vessel (maritime authority)', body: NewVessel, response: { 201: Vessel, ...Errors } } },
    async (request, reply) => {
      authorize(request, 'vessel:edit');
      const body = request.body;
      const name = validateRegisteredName(body.registeredName);
      const mmsi = body.mmsi ? validateMmsi(body.mmsi) : null;
      const faults = [
        ...(name.valid ? [] : [{ pointer: '/registeredName', message: name.message! }]),
        ...(mmsi && !mmsi.valid ? [{ pointer: '/mmsi', message: mmsi.message! }] : []),
      ];
      if (faults.length) throw badRequest(faults.map((f) => `${f.pointer.slice(1)}: ${f.message}`).join('; '), faults);
      const id = await insertVessel(knex, {
        mmsi: body.mmsi ?? null,
        registeredName: body.registeredName.trim(),
        type: body.type ?? null,
        lengthM: body.lengthM ?? null,
        homePort: body.homePort ?? null,
        ownerName: body.ownerName ?? null,
        ownerPhone: body.ownerPhone ?? null,
      });
      const vessel = (await findVessel(knex, id, { includePersonal: may(request.principal, 'personal:read') }))!;
      reply.code(201).header('location', `/v1/vessels/${id}`);
      return { ...vessel, warnings: [...name.warnings, ...(mmsi?.warnings ?? [])] };
    },
  );

  app.get(
    '/v1/vessels/:id',
    {
      schema: {
        tags: ['vessels'],
        summary: 'One vessel by id, MMSI or registered name',
        params: Type.Object({ id: Type.String() }),
        response: { 200: Vessel, ...Errors },
      },
    },
    async (request) => {
      authorize(request, 'registry:read', {}, openReads);
      const vessel = await findVessel(knex, request.params.id, { includePersonal: may(request.principal, 'personal:read') });
      if (!vessel) throw notFound('vessel', request.params.id);
      return vessel;
    },
  );

  app.post(
    '/v1/vessels/:id/formation',
    {
      schema: {
        tags: ['vessels'],
        summary: 'Join a vessel to a formation (or aquaculture zone) from a date; its open membership of that kind ends',
        params: Type.Object({ id: Type.String() }),
        body: NewMembership,
        response: { 200: Vessel, ...Errors },
      },
    },
    async (request) => {
      authorize(request, 'vessel:edit');
      const vessel = await findVessel(knex, request.params.id, { includePersonal: false });
      if (!vessel) throw notFound('vessel', request.params.id);
      const grid = await findMembershipGrid(knex, request.body.formationCode);
      if (!grid) throw badRequest('formationCode: no vessel formation or aquaculture zone in force has this code', [{ pointer: '/formationCode', message: 'not a sea grid in force' }]);
      authorize(request, 'vessel:edit', { divisionCode: grid.divisionCode });
      const validFrom = request.body.validFrom ?? chinaDate(new Date());
      const validTo = request.body.validTo ?? null;
      if (validTo !== null && validTo < validFrom) throw badRequest('validTo is before validFrom', [{ pointer: '/validTo', message: 'before validFrom' }]);
      await addMembership(knex, vessel.id, grid.code, grid.subkind, validFrom, validTo);
      return (await findVessel(knex, vessel.id, { includePersonal: may(request.principal, 'personal:read') }))!;
    },
  );
};
