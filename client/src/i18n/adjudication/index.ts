// Imported by each adjudication screen: adds its strings to the catalogues when its chunk loads.
import { addMessages } from '../translate.ts';
import { adjudicationAr } from './ar.ts';
import { adjudicationEn } from './en.ts';
import { adjudicationFr } from './fr.ts';

addMessages({ en: adjudicationEn, fr: adjudicationFr, ar: adjudicationAr });
