// Imported by each lazily loaded screen: adds its strings to the catalogues when its chunk loads.
import { addMessages } from '../translate.ts';
import { documentsAr } from './ar.ts';
import { documentsEn } from './en.ts';
import { documentsFr } from './fr.ts';

addMessages({ en: documentsEn, fr: documentsFr, ar: documentsAr });
