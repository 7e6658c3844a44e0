// How one person appears to other participants: name and affiliation, never the e-mail
// address (PII, DOMAIN.md). Used for comment authors, revision posters, period extensions.
import { z } from 'zod';
import { nameSchemas } from '../../lib/schemas.ts';

export interface PersonLike {
  id: string;
  name: string;
  affiliation: string;
}

export const presentPerson = (u: PersonLike) => ({ id: u.id, name: u.name, affiliation: u.affiliation });

export const PersonSchema = z.object({ id: z.string(), name: z.string(), affiliation: z.string() }).describe('Person');

// Named in the OpenAPI document's components, referred to wherever a route uses them.
nameSchemas({ Person: PersonSchema });
