// Imported by the screens that show the Word/Excel downloads and the template import.
import { addMessages } from '../translate.ts';
import { interchangeAr } from './ar.ts';
import { interchangeEn } from './en.ts';
import { interchangeFr } from './fr.ts';

addMessages({ en: interchangeEn, fr: interchangeFr, ar: interchangeAr });
